import type { CostEstimate, CreditHistory, CreditsSummary, EstimateCostBody } from '@studio/contracts';
import type { AuthUser } from '../auth/auth.service.ts';
import type { ProviderId, Quality } from '../providers/types.ts';
import { CreditAccounts } from './accounts.ts';
import type { BillingServiceDeps } from './billing-deps.ts';
import type { ChargeMeter, ChargeSpec, Reservation, Settlement } from './charge-types.ts';
import { Charging } from './charging.ts';
import { chargeFor, Estimates } from './estimates.ts';
import type { BillableOperation } from './operations.ts';
import type { PlanId } from './plans.ts';
import type { ChargedOutput } from './pricing.ts';
import { ChargeRecovery } from './recovery.ts';

/**
 * Costs, credits and plans, as the rest of the server sees them. Prices come from the providers'
 * catalogue through `pricing.ts`; every balance change goes through the repository's conditional
 * updates and lands in the ledger. The work is in accounts.ts (accounts, plan admin), estimates.ts,
 * charging.ts (pre-flight, reserve, capture, release) and recovery.ts (reservations left behind).
 */
export class BillingService {
  private readonly accounts: CreditAccounts;
  private readonly estimates: Estimates;
  private readonly charging: Charging;
  private readonly recovery: ChargeRecovery;

  constructor(deps: BillingServiceDeps) {
    const clock = deps.clock ?? (() => new Date());
    this.accounts = new CreditAccounts(deps, () => clock().toISOString());
    this.estimates = new Estimates(deps, this.accounts);
    this.charging = new Charging(deps, this.accounts, clock);
    this.recovery = new ChargeRecovery(deps, this.charging);
  }

  storageLimit(userId: number): Promise<number> {
    return this.accounts.storageLimit(userId);
  }

  summary(userId: number): Promise<CreditsSummary> {
    return this.accounts.summary(userId);
  }

  summaryFor(actor: AuthUser, userId: number): Promise<CreditsSummary> {
    return this.accounts.summaryFor(actor, userId);
  }

  history(userId: number, page: number, pageSize: number): Promise<CreditHistory> {
    return this.accounts.history(userId, page, pageSize);
  }

  setPlan(actor: AuthUser, userId: number, plan: PlanId): Promise<CreditsSummary> {
    return this.accounts.setPlan(actor, userId, plan);
  }

  grant(
    actor: AuthUser,
    userId: number,
    credits: number,
    reason: string,
    idempotencyKey?: string,
  ): Promise<CreditsSummary> {
    return this.accounts.grant(actor, userId, credits, reason, idempotencyKey);
  }

  chargeFor(outputs: readonly ChargedOutput[]): number {
    return chargeFor(outputs);
  }

  usableProviders(userId: number): Promise<ProviderId[]> {
    return this.estimates.usableProviders(userId);
  }

  autoChoice(
    userId: number,
    operation: BillableOperation,
    quality: Quality,
  ): Promise<{ provider: ProviderId; model: string | null } | undefined> {
    return this.estimates.autoChoice(userId, operation, quality);
  }

  estimate(userId: number, body: EstimateCostBody): Promise<CostEstimate> {
    return this.estimates.estimate(userId, body);
  }

  assertAllowed(
    userId: number,
    request: { provider: ProviderId; variations: number; width?: number; height?: number; credits: number },
  ): Promise<void> {
    return this.charging.assertAllowed(userId, request);
  }

  reserve(input: {
    userId: number;
    jobId: string;
    credits: number;
    idempotencyKey: string;
  }): Promise<Reservation> {
    return this.charging.reserve(input);
  }

  capture(jobId: string, actualCredits: number, note?: string): Promise<Settlement | undefined> {
    return this.charging.capture(jobId, actualCredits, note);
  }

  release(jobId: string, reason?: string): Promise<Settlement | undefined> {
    return this.charging.release(jobId, reason);
  }

  withCharge<T>(
    job: { jobId: string; userId: number; signal?: AbortSignal },
    spec: ChargeSpec,
    work: (meter: ChargeMeter) => Promise<T>,
  ): Promise<T> {
    return this.charging.withCharge(job, spec, work);
  }

  reconcile(): Promise<{ released: number; captured: number }> {
    return this.recovery.reconcile();
  }

  settleAbandoned(jobId: string): Promise<'released' | 'captured' | 'kept'> {
    return this.recovery.settleAbandoned(jobId);
  }
}
