import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.ts';
import type { Db } from '../db/database.ts';
import { CATALOGUES } from '../providers/catalog.ts';
import { geminiCatalogue } from '../providers/gemini/catalog.ts';
import { CLOUD_PROVIDERS, type ProviderId } from '../providers/types.ts';
import { BillingService } from './billing.service.ts';
import type { BillingTables } from './billing.tables.ts';
import { CreditRepository } from './credit.repository.ts';

/**
 * Builds the billing service for the composition root. Until per-user provider keys exist, a cloud
 * provider counts as available when the server has its key.
 */
export function createBillingService(db: Db, config: Config, log: FastifyBaseLogger): BillingService {
  const serverProviders: ProviderId[] = CLOUD_PROVIDERS.filter((p) => config.providers[p].apiKey);
  return new BillingService({
    repo: new CreditRepository(db.kysely.withTables<BillingTables>()),
    availableProviders: async () => serverProviders,
    modelsOf: (provider) =>
      provider === 'gemini'
        ? geminiCatalogue(config.providers.gemini.imagenEnabled).models
        : CATALOGUES[provider].models,
    log,
  });
}
