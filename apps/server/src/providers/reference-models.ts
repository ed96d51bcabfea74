import { badRequest } from '../errors.ts';
import { CATALOGUES, findModel } from './catalog.ts';
import type { Candidate } from './selection.ts';
import type { ProviderId, Quality } from './types.ts';

const TIER_RANK: Readonly<Record<Quality, number>> = { draft: 0, standard: 1, premium: 2 };

/** Create models that take a reference image with a strength (image-to-image), as `provider/model`. */
const referenceModels = (provider?: ProviderId) =>
  Object.values(CATALOGUES)
    .filter((c) => !provider || c.provider === provider)
    .flatMap((c) =>
      c.models
        .filter((m) => m.operations.includes('create') && m.supports.imageToImage)
        .map((m) => ({ provider: c.provider, spec: m })),
    );

const known = () =>
  referenceModels()
    .map((m) => `${m.provider} ${m.spec.id}`)
    .join(', ');

export const takesReference = (c: Pick<Candidate, 'provider' | 'model'>): boolean =>
  findModel(c.provider, c.model)?.supports.imageToImage === true;

/**
 * The model of an explicitly chosen provider to use with a reference image: the image-to-image model
 * closest to the quality asked (the provider's usual create model may not take one). 400 when it has none.
 */
export function referenceModel(provider: ProviderId, quality: Quality): string {
  const options = referenceModels(provider).sort(
    (a, b) =>
      Math.abs(TIER_RANK[a.spec.tier] - TIER_RANK[quality]) -
        Math.abs(TIER_RANK[b.spec.tier] - TIER_RANK[quality]) || a.spec.price.credits - b.spec.price.credits,
  );
  const best = options[0];
  if (!best) throw cannotTakeReference(provider);
  return best.spec.id;
}

/**
 * The model to ask for when a reference image comes: the one named, else for a chosen provider its
 * image-to-image model (`referenceModel`); with `auto` none, as `referenceCandidates` then filters.
 * The create job and its estimate both decide here.
 */
export function modelForReference(
  provider: ProviderId | 'auto',
  model: string | null | undefined,
  quality: Quality,
): string | undefined {
  return model ?? (provider === 'auto' ? undefined : referenceModel(provider, quality));
}

/** Keeps the candidates that take a reference image; 400 (before anything is reserved) when none does. */
export function referenceCandidates<C extends Pick<Candidate, 'provider' | 'model'>>(
  candidates: C[],
  explicit: boolean,
): C[] {
  const able = candidates.filter(takesReference);
  if (able.length) return able;
  const first = candidates[0];
  throw explicit && first ? cannotTakeReference(first.provider, first.model) : cannotTakeReference();
}

function cannotTakeReference(provider?: ProviderId, model?: string) {
  const who = provider ? `${provider}${model ? ` ${model}` : ''}` : 'No available provider';
  return badRequest(`${who} cannot take a reference image (image-to-image). Models that can: ${known()}.`, {
    provider: provider ?? null,
    model: model ?? null,
  });
}
