import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import { isAppError } from '../errors.ts';
import { CATALOGUES } from '../providers/catalog.ts';
import { geminiCatalogue } from '../providers/gemini/catalog.ts';
import { referenceCandidates } from '../providers/reference-models.ts';
import type { AvailabilityMap, ProviderAvailability, ProviderRegistry } from '../providers/registry.ts';
import { selectCandidates } from '../providers/selection.ts';
import { CLOUD_PROVIDERS, type ProviderId } from '../providers/types.ts';
import { BillingService } from './billing.service.ts';
import type { BillingTables } from './billing.tables.ts';
import type { BillingServiceDeps } from './billing-deps.ts';
import { CreditRepository } from './credit.repository.ts';

/** The provider layer as billing sees it: the registry and what a user can call now. */
export interface BillingProviders {
  registry: ProviderRegistry;
  availability: (userId: number) => Promise<AvailabilityMap>;
}

/**
 * Builds the billing service for the composition root. With the provider registry, availability
 * (user key over server key) and the `auto` choice are the registry's own; without it, a cloud provider
 * counts as available when the server has its key and `chooseModel` picks.
 */
export function createBillingService(
  db: Db,
  config: Config,
  log: FastifyBaseLogger,
  providers?: BillingProviders,
  storageUsed?: (userId: number) => Promise<number>,
): BillingService {
  const serverProviders: ProviderId[] = CLOUD_PROVIDERS.filter((p) => config.providers[p].apiKey);
  const deps: BillingServiceDeps = {
    repo: new CreditRepository(db.kysely.withTables<BillingTables>()),
    availableProviders: async (userId) => {
      if (!providers) return serverProviders;
      const map = await providers.availability(userId);
      return CLOUD_PROVIDERS.filter((p) => map[p].available);
    },
    modelsOf: (provider) =>
      provider === 'gemini'
        ? geminiCatalogue(config.providers.gemini.imagenEnabled).models
        : CATALOGUES[provider].models,
    log,
    storageUsed,
    storageQuotaBytes: config.storageQuotaBytes,
  };
  if (providers) {
    deps.chooseAuto = async ({ userId, operation, quality, providers: allowed, withReference }) => {
      const map = await providers.availability(userId);
      const only = (a: ProviderAvailability): ProviderAvailability =>
        allowed.includes(a.provider) ? a : { ...a, available: false, reason: 'not included in your plan' };
      const restricted: Record<ProviderId, ProviderAvailability> = { ...map };
      for (const a of Object.values(map)) restricted[a.provider] = only(a);
      try {
        const found = selectCandidates(providers.registry, restricted, { operation, quality });
        const first = (withReference ? referenceCandidates(found, false) : found)[0];
        return first && { provider: first.provider, model: first.model };
      } catch (e) {
        if (isAppError(e) && e.code === 'no_provider') return undefined;
        throw e;
      }
    };
  }
  return new BillingService(deps);
}
