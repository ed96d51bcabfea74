import { CATALOGUES } from '../providers/catalog.ts';
import type { ModelSpec, Operation, ProviderId, Quality } from '../providers/types.ts';

export interface ModelChoice {
  provider: ProviderId;
  model: ModelSpec;
}

/** Ties between equally good models go to the provider listed first (the original tried WaveSpeed first). */
export const PROVIDER_PREFERENCE: readonly ProviderId[] = [
  'wavespeed',
  'stability',
  'gemini',
  'huggingface',
  'local',
];

const TIER_RANK: Readonly<Record<Quality, number>> = { draft: 0, standard: 1, premium: 2 };

/**
 * The model `auto` picks for an operation, until the provider registry offers its own selection:
 * among the given providers' models that do the operation, AI models before the local layout, then the
 * model whose tier is closest to the asked quality, then the cheapest, then provider preference.
 */
export function chooseModel(
  operation: Operation,
  quality: Quality,
  providers: readonly ProviderId[],
  modelsOf: (provider: ProviderId) => readonly ModelSpec[] = (p) => CATALOGUES[p].models,
): ModelChoice | undefined {
  const candidates: Array<ModelChoice & { rank: number[] }> = [];
  for (const provider of PROVIDER_PREFERENCE) {
    if (!providers.includes(provider)) continue;
    for (const model of modelsOf(provider)) {
      if (!model.operations.includes(operation)) continue;
      candidates.push({
        provider,
        model,
        rank: [
          CATALOGUES[provider].kind === 'ai' ? 0 : 1,
          Math.abs(TIER_RANK[model.tier] - TIER_RANK[quality]),
          model.price.credits,
          PROVIDER_PREFERENCE.indexOf(provider),
        ],
      });
    }
  }
  candidates.sort((a, b) => {
    for (let i = 0; i < a.rank.length; i++) {
      const d = (a.rank[i] ?? 0) - (b.rank[i] ?? 0);
      if (d !== 0) return d;
    }
    return 0;
  });
  const best = candidates[0];
  return best ? { provider: best.provider, model: best.model } : undefined;
}
