import { validationFailed } from '../errors.ts';
import { aliasOwner, canonicalModel } from './catalog.ts';
import { noProvider } from './errors.ts';
import type { AvailabilityMap, ProviderRegistry } from './registry.ts';
import { CREATE_PREFERENCES, TEMPLATE_HINTS } from './selection-table.ts';
import type { ModelSpec, Operation, ProviderAuth, ProviderId, Quality } from './types.ts';

export interface SelectionInput {
  operation: Operation;
  /** An explicit provider, or `auto` / undefined to choose. */
  provider?: ProviderId | 'auto';
  model?: string;
  quality?: Quality;
  /** A template's recommended provider or model family, e.g. `ideogram`. */
  templateHint?: string;
}

export interface Candidate {
  provider: ProviderId;
  model: string;
  auth: ProviderAuth;
}

const TIER_RANK: Readonly<Record<Quality, number>> = { draft: 0, standard: 1, premium: 2 };

/**
 * The ordered list of provider/model candidates for a request. An explicit provider or model is the
 * only candidate (the user chose it; we do not silently switch). `auto` orders by template hint,
 * quality preferences, then everything else that can do the operation; providers with an open circuit
 * go last. The local layout provider is a `create` candidate only when no cloud provider is usable,
 * because a typeset layout is not what a user asking for an AI image expects as a silent fallback.
 */
export function selectCandidates(
  registry: ProviderRegistry,
  available: AvailabilityMap,
  input: SelectionInput,
): Candidate[] {
  const quality = input.quality ?? 'standard';
  const models = (id: ProviderId): readonly ModelSpec[] =>
    (registry.get(id)?.catalogue.models ?? []).filter((m) => m.operations.includes(input.operation));
  const usable = (id: ProviderId) => available[id].available && available[id].auth !== undefined;
  const candidate = (provider: ProviderId, model: string): Candidate => ({
    provider,
    model,
    auth: available[provider].auth!,
  });

  if (input.provider && input.provider !== 'auto') {
    const id = input.provider;
    const options = models(id);
    if (!registry.get(id)) throw validationFailed(`Unknown provider ${id}.`);
    if (!options.length) throw validationFailed(`Provider ${id} cannot do ${input.operation}.`);
    if (!usable(id))
      throw noProvider(`Provider ${id} is not available: ${available[id].reason ?? 'unknown reason'}.`, {
        provider: id,
      });
    const model = input.model
      ? canonicalModel(id, input.model)
      : pickModel(id, options, input.operation, quality);
    if (!options.some((m) => m.id === model))
      throw validationFailed(`Model ${model} of ${id} cannot do ${input.operation}.`);
    return [candidate(id, model)];
  }

  if (input.model) {
    const aliasProvider = aliasOwner(input.model);
    const wanted = aliasProvider ? canonicalModel(aliasProvider, input.model) : input.model;
    const owner = registry.list().find((p) => models(p.id).some((m) => m.id === wanted));
    if (!owner) throw validationFailed(`No provider offers model ${input.model} for ${input.operation}.`);
    if (!usable(owner.id)) {
      throw noProvider(
        `Provider ${owner.id} is not available: ${available[owner.id].reason ?? 'unknown reason'}.`,
        { provider: owner.id },
      );
    }
    return [candidate(owner.id, wanted)];
  }

  const ordered: Array<[ProviderId, string]> = [];
  const push = (p: ProviderId, m: string) => {
    if (
      p !== 'local' &&
      usable(p) &&
      models(p).some((s) => s.id === m) &&
      !ordered.some(([a, b]) => a === p && b === m)
    ) {
      ordered.push([p, m]);
    }
  };
  if (input.operation === 'create') for (const [p, m] of CREATE_PREFERENCES[quality]) push(p, m);
  const rest = registry
    .list()
    .flatMap((p) => models(p.id).map((m) => ({ p: p.id, m })))
    .sort(
      (a, b) =>
        Math.abs(TIER_RANK[a.m.tier] - TIER_RANK[quality]) -
          Math.abs(TIER_RANK[b.m.tier] - TIER_RANK[quality]) || a.m.price.credits - b.m.price.credits,
    );
  for (const { p, m } of rest) push(p, m.id);

  const hint = input.templateHint ? TEMPLATE_HINTS[input.templateHint.toLowerCase()] : undefined;
  const healthy = (p: ProviderId) => available[p].healthy;
  const rank = ([p, m]: [ProviderId, string]) => (healthy(p) ? 0 : 2) + (hint?.(p, m) ? 0 : 1);
  const sorted = ordered.map((c, i) => ({ c, i })).sort((a, b) => rank(a.c) - rank(b.c) || a.i - b.i);
  const result = sorted.map(({ c: [p, m] }) => candidate(p, m));

  const local = models('local');
  if (!result.length && local.length) return [candidate('local', local[0]!.id)];
  if (!result.length) {
    const reasons = Object.values(available)
      .filter((a) => a.provider !== 'local' && models(a.provider).length)
      .map((a) => `${a.provider}: ${a.reason ?? 'unavailable'}`);
    throw noProvider(`No available provider can do ${input.operation}.`, {
      operation: input.operation,
      reasons,
    });
  }
  return result;
}

/** The provider's model for this quality: its entry in the preference table, else the closest tier. */
function pickModel(
  id: ProviderId,
  options: readonly ModelSpec[],
  operation: Operation,
  quality: Quality,
): string {
  if (operation === 'create') {
    const preferred = CREATE_PREFERENCES[quality].find(
      ([p, m]) => p === id && options.some((o) => o.id === m),
    );
    if (preferred) return preferred[1];
  }
  const best = [...options].sort(
    (a, b) =>
      Math.abs(TIER_RANK[a.tier] - TIER_RANK[quality]) - Math.abs(TIER_RANK[b.tier] - TIER_RANK[quality]),
  )[0];
  return best!.id;
}
