import type { AvailabilityMap, ProviderRegistry } from './registry.ts';
import type { InputLimits, ModelSpec, Operation, ProviderId } from './types.ts';

export interface ProviderListing {
  id: ProviderId;
  label: string;
  kind: 'ai' | 'layout';
  verified: string;
  available: boolean;
  key_source: 'user' | 'server' | 'none';
  healthy: boolean;
  reason: string | null;
  capabilities: Operation[];
  /** The seed's `/providers` fields, kept for its clients. */
  cost_range: string;
  max_resolution: { width: number; height: number } | null;
  models: Array<{
    id: string;
    label: string;
    operations: Operation[];
    tier: ModelSpec['tier'];
    sizing: ModelSpec['sizing'];
    input_limits: InputLimits | null;
    prompt_max_length: number | null;
    supports: ModelSpec['supports'];
    credits: number;
    credits_by_size_tier: Record<string, number> | null;
    price_source: string;
    note: string | null;
  }>;
}

/** `GET /api/image-studio/providers`: each provider's catalogue and whether this user can use it now. */
export function listProviders(registry: ProviderRegistry, availability: AvailabilityMap): ProviderListing[] {
  return registry.list().map((p) => {
    const a = availability[p.id];
    const models = p.catalogue.models;
    return {
      id: p.id,
      label: p.catalogue.label,
      kind: p.catalogue.kind,
      verified: p.catalogue.verified,
      available: a.available,
      key_source: a.keySource,
      healthy: a.healthy,
      reason: a.reason ?? null,
      capabilities: [...new Set(models.flatMap((m) => m.operations))],
      cost_range: costRange(models),
      max_resolution: maxResolution(models),
      models: models.map((m) => ({
        id: m.id,
        label: m.label,
        operations: [...m.operations],
        tier: m.tier,
        sizing: m.sizing,
        input_limits: m.input ? { ...m.input } : null,
        prompt_max_length: m.promptMaxLength ?? null,
        supports: m.supports,
        credits: m.price.credits,
        credits_by_size_tier: m.price.bySizeTier ? { ...m.price.bySizeTier } : null,
        price_source: m.price.source,
        note: m.note ?? null,
      })),
    };
  });
}

function costRange(models: readonly ModelSpec[]): string {
  const prices = models.flatMap((m) => [m.price.credits, ...Object.values(m.price.bySizeTier ?? {})]);
  const lo = Math.min(...prices);
  const hi = Math.max(...prices);
  if (hi === 0) return 'free (runs on this server)';
  return lo === hi ? `${lo} credits per image` : `${lo}–${hi} credits per image`;
}

/** The largest generated size any model offers (edits and upscales follow their input). */
function maxResolution(models: readonly ModelSpec[]): { width: number; height: number } | null {
  let best: { width: number; height: number } | null = null;
  const consider = (width: number, height: number) => {
    if (!best || width * height > best.width * best.height) best = { width, height };
  };
  for (const m of models) {
    const s = m.sizing;
    if (s.kind === 'free')
      consider(s.maxSide, s.maxPixels ? Math.min(s.maxSide, Math.floor(s.maxPixels / s.maxSide)) : s.maxSide);
    if (s.kind === 'aspect_ratio') {
      const scale = Math.max(1, ...Object.values(s.scales ?? {}));
      for (const r of Object.values(s.ratios)) consider(r.width * scale, r.height * scale);
    }
  }
  return best;
}
