import { modelsFor } from '../providers/catalog.ts';
import type { AvailabilityMap } from '../providers/registry.ts';
import { CLOUD_PROVIDERS, type Operation } from '../providers/types.ts';

export interface ProviderOption {
  provider: string;
  model: string | null;
  available: boolean;
  reason?: string;
  async: boolean;
  price_credits: number;
  when?: string;
}

const ASYNC_NOTE = /asynchronous/i;

/** Who can run an operation, whether this user can use them now, and at what price. */
export function providerOptions(
  operations: readonly Operation[],
  available: AvailabilityMap,
  local?: { model: string; when: string },
): ProviderOption[] {
  const options: ProviderOption[] = local
    ? [
        {
          provider: 'local',
          model: local.model,
          available: true,
          async: false,
          price_credits: 0,
          when: local.when,
        },
      ]
    : [];
  for (const operation of operations) {
    for (const provider of CLOUD_PROVIDERS) {
      for (const m of modelsFor(provider, operation)) {
        const a = available[provider];
        options.push({
          provider,
          model: m.id,
          available: a.available,
          ...(a.available ? {} : { reason: a.reason ?? 'unavailable' }),
          async: ASYNC_NOTE.test(m.note ?? ''),
          price_credits: m.price.credits,
        });
      }
    }
  }
  return options;
}

/** The cheapest option usable now, or the cheapest overall when none is (what a key would cost). */
export function cheapest(options: readonly ProviderOption[]): number {
  const usable = options.filter((o) => o.available);
  const pool = usable.length ? usable : options;
  return pool.length ? Math.min(...pool.map((o) => o.price_credits)) : 0;
}
