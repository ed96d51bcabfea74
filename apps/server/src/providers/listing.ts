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
