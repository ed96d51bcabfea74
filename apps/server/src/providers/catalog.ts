import { geminiCatalogue } from './gemini/catalog.ts';
import { huggingfaceCatalogue } from './huggingface/catalog.ts';
import { localCatalogue } from './local/catalog.ts';
import { nearestSize, QUALITY_SIZE_TIER } from './sizing.ts';
import { stabilityCatalogue } from './stability/catalog.ts';
import type { ModelSpec, Operation, ProviderCatalogue, ProviderId, Quality, Size } from './types.ts';
import { wavespeedCatalogue } from './wavespeed/catalog.ts';

/**
 * Every provider's catalogue (all models, including flag-gated ones). Billing prices estimates with
 * `priceFor`, and the providers charge with the same function, so an estimate and a charge agree.
 */
export const CATALOGUES: Readonly<Record<ProviderId, ProviderCatalogue>> = {
  stability: stabilityCatalogue,
  wavespeed: wavespeedCatalogue,
  huggingface: huggingfaceCatalogue,
  // With every model: the Imagen flag decides what is offered, not what is known and priced.
  gemini: geminiCatalogue(true),
  local: localCatalogue,
};

/**
 * Model names the original API and its clients send (seed-facts §4.1, §8.1), accepted as aliases of
 * catalogue ids so those clients keep working.
 */
const MODEL_ALIASES: Readonly<Partial<Record<ProviderId, Readonly<Record<string, string>>>>> = {
  stability: { 'stability-ultra': 'ultra', 'stability-core': 'core', sd3: 'sd3.5-large' },
  wavespeed: {
    'ideogram-v3-turbo': 'ideogram-ai/ideogram-v3-turbo',
    'qwen-image': 'wavespeed-ai/qwen-image/text-to-image',
  },
  huggingface: { flux: 'black-forest-labs/FLUX.1-dev', 'FLUX.1-Krea-dev': 'black-forest-labs/FLUX.1-dev' },
};

/** The catalogue id for a model name, resolving the original API's aliases. */
export const canonicalModel = (provider: ProviderId, model: string): string =>
  MODEL_ALIASES[provider]?.[model] ?? model;

/** Which provider an alias belongs to, for requests that name only a model. */
export function aliasOwner(model: string): ProviderId | undefined {
  for (const [provider, aliases] of Object.entries(MODEL_ALIASES)) {
    if (aliases && model in aliases) {
      return provider as ProviderId;
    }
  }
  return undefined;
}

export function findModel(provider: ProviderId, model: string): ModelSpec | undefined {
  return CATALOGUES[provider]?.models.find((m) => m.id === model);
}

export function modelsFor(provider: ProviderId, operation: Operation): ModelSpec[] {
  return CATALOGUES[provider].models.filter((m) => m.operations.includes(operation));
}

/**
 * Credits for one output image (1 credit = US$0.01). `quality` and `size` pick the size tier of models
 * billed by output size; without them the base tier is used. Returns undefined for an unknown
 * provider/model or an operation the model does not do.
 */
export function priceFor(
  provider: ProviderId,
  model: string,
  operation: Operation,
  quality?: Quality,
  size?: Size,
): number | undefined {
  const spec = findModel(provider, model);
  if (!spec?.operations.includes(operation)) return undefined;
  const tiers = spec.price.bySizeTier;
  if (!tiers) return spec.price.credits;
  const tier = size
    ? nearestSize(spec, size, { sizeTier: undefined }).sizeTier
    : quality
      ? QUALITY_SIZE_TIER[quality]
      : undefined;
  return (tier ? tiers[tier] : undefined) ?? spec.price.credits;
}
