import { geminiModels } from './gemini/catalog.ts';
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
  gemini: {
    provider: 'gemini',
    label: 'Google Gemini',
    verified: '2026-11-01',
    kind: 'ai',
    models: geminiModels,
  },
  local: localCatalogue,
};

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
