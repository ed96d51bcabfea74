import type { FastifyBaseLogger } from 'fastify';
import type { ModelSpec, Operation, ProviderId, Quality } from '../providers/types.ts';
import type { CreditRepository } from './credit.repository.ts';
import type { PlanId } from './plans.ts';

/** What billing needs from outside: the credit tables, who can call which provider, storage, a clock. */
export interface BillingServiceDeps {
  repo: CreditRepository;
  /** Cloud providers this user can call now (server or own key); `local` is always added. */
  availableProviders: (userId: number) => Promise<readonly ProviderId[]>;
  /** Models offered per provider (flag-gated ones removed); defaults to the whole catalogue. */
  modelsOf?: (provider: ProviderId) => readonly ModelSpec[];
  /**
   * The provider registry's own `auto` selection, when wired; it gets only the providers this user
   * may use (available and in the plan). Without it, `chooseModel` over the catalogue decides.
   */
  chooseAuto?: (input: {
    userId: number;
    operation: Operation;
    quality: Quality;
    providers: readonly ProviderId[];
    /** Create with a reference image: only models that take one (providers/reference-models.ts). */
    withReference?: boolean;
  }) => Promise<{ provider: ProviderId; model: string } | undefined>;
  /** Plan of an account opened for an admin; everyone else starts on `free`. */
  adminPlan?: PlanId;
  /** Bytes of images the user keeps now, for the summary (the quota itself is checked as assets are saved). */
  storageUsed?: (userId: number) => Promise<number>;
  /** Every user's storage quota, instead of their plan's (STORAGE_QUOTA_MB). */
  storageQuotaBytes?: number;
  log?: FastifyBaseLogger;
  clock?: () => Date;
}
