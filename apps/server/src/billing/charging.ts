import { AppError, badRequest, conflict } from '../errors.ts';
import type { ProviderId } from '../providers/types.ts';
import type { CreditAccounts } from './accounts.ts';
import type { BillingServiceDeps } from './billing-deps.ts';
import { insufficientCredits, tooManyJobs } from './billing-errors.ts';
import type { ChargeMeter, ChargeOption, ChargeSpec, Reservation, Settlement } from './charge-types.ts';
import { isUniqueViolation } from './credit.repository.ts';
import { chargeFor, quoteCharge } from './estimates.ts';
import { toCredits, toUnits } from './money.ts';
import { planRefusal } from './plan-limits.ts';
import { PLANS } from './plans.ts';
import { settlement } from './presenters.ts';
import type { ChargedOutput, Quote } from './pricing.ts';

const ROLLING_MINUTE_MS = 60_000;

/**
 * Charging a job: the pre-flight, the reservation (one conditional UPDATE, so parallel jobs never
 * overdraw), then capture of what was delivered or release of everything.
 */
export class Charging {
  constructor(
    private readonly deps: BillingServiceDeps,
    private readonly accounts: CreditAccounts,
    private readonly clock: () => Date,
  ) {}

  /**
   * Pre-flight before any provider call: 403 `plan_limit` (provider, batch size, output size),
   * 429 `rate_limited` (jobs per minute), 402 `insufficient_credits`. Writes nothing except
   * opening the account / this month's allowance. Local work is free but not unlimited: a local
   * job counts every job the user started in the last minute (its own row included), so the
   * server's CPU is shared by the same rate as the providers' money.
   */
  async assertAllowed(
    userId: number,
    request: { provider: ProviderId; variations: number; width?: number; height?: number; credits: number },
  ): Promise<void> {
    const refusal = planRefusal(await this.accounts.plan(userId), {
      provider: request.provider,
      count: request.variations,
      width: request.width,
      height: request.height,
    });
    if (refusal) throw refusal;
    const account = await this.accounts.account(userId);
    const units = toUnits(request.credits);
    const plan = PLANS[account.plan];
    const since = new Date(this.clock().getTime() - ROLLING_MINUTE_MS).toISOString();
    if (units <= 0) {
      if (
        request.provider === 'local' &&
        (await this.deps.repo.jobsSince(userId, since)) > plan.jobsPerMinute
      ) {
        throw tooManyJobs(plan.jobsPerMinute);
      }
      return;
    }
    if ((await this.deps.repo.reservationsSince(userId, since)) >= plan.jobsPerMinute) {
      throw tooManyJobs(plan.jobsPerMinute);
    }
    if (account.balance < units) {
      throw insufficientCredits({ required: request.credits, balance: toCredits(account.balance) });
    }
  }

  /**
   * Holds credits for a job. The balance check and the debit are one conditional UPDATE, so parallel
   * reservations can never overdraw; the same idempotency key reserves once (a replay returns the
   * first reservation). 402 `insufficient_credits` when the balance is too low.
   */
  async reserve(input: {
    userId: number;
    jobId: string;
    credits: number;
    idempotencyKey: string;
  }): Promise<Reservation> {
    const units = toUnits(input.credits);
    if (units < 0) throw badRequest('A reservation cannot be negative.');
    const replay = await this.replayed(input);
    if (replay) return replay;
    await this.accounts.account(input.userId);
    try {
      const outcome = await this.deps.repo.reserve({
        userId: input.userId,
        jobId: input.jobId,
        units,
        key: input.idempotencyKey,
        now: this.clock().toISOString(),
      });
      if (outcome.kind === 'insufficient') {
        throw insufficientCredits({ required: input.credits, balance: toCredits(outcome.balance) });
      }
      return {
        jobId: input.jobId,
        credits: toCredits(units),
        balance: toCredits(outcome.balance),
        replayed: false,
        status: 'reserved',
      };
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      const raced = await this.replayed(input);
      if (raced) return raced;
      throw conflict('already_reserved', 'This job already holds a reservation.', { job_id: input.jobId });
    }
  }

  private async replayed(input: { userId: number; jobId: string; idempotencyKey: string }) {
    const existing = await this.deps.repo.reservationByKey(input.idempotencyKey);
    if (!existing) return undefined;
    if (existing.job_id !== input.jobId || existing.user_id !== input.userId) {
      throw conflict('idempotency_conflict', 'This idempotency key was used for another job.');
    }
    const account = await this.deps.repo.account(input.userId);
    return {
      jobId: existing.job_id,
      credits: toCredits(existing.amount),
      balance: toCredits(account?.balance ?? 0),
      replayed: true,
      status: existing.status,
    } satisfies Reservation;
  }

  /** Charges `actualCredits` (at most the reservation) and refunds the rest. Idempotent. */
  async capture(jobId: string, actualCredits: number, note?: string): Promise<Settlement | undefined> {
    const row = await this.deps.repo.capture(jobId, toUnits(actualCredits), this.clock().toISOString(), note);
    return row && settlement(row);
  }

  /** Gives a reservation back in full (failure, cancel, crash). Idempotent. */
  async release(jobId: string, reason = 'job did not complete'): Promise<Settlement | undefined> {
    const row = await this.deps.repo.release(jobId, this.clock().toISOString(), reason);
    return row && settlement(row);
  }

  /**
   * The whole charge cycle for a job handler: price (the estimate's function), pre-flight, reserve
   * (enough for the dearest covered fallback), run `work`, then capture what `meter.delivered` recorded (priced the same way, never more than
   * reserved) or release everything if the work throws, delivers nothing or the job was canceled.
   */
  async withCharge<T>(
    job: { jobId: string; userId: number; signal?: AbortSignal },
    spec: ChargeSpec,
    work: (meter: ChargeMeter) => Promise<T>,
  ): Promise<T> {
    const q = quoteCharge(spec);
    await this.assertAllowed(job.userId, {
      provider: spec.provider,
      variations: spec.count,
      width: spec.width,
      height: spec.height,
      credits: q.totalCredits,
    });
    const covered = await this.coveredFallbacks(job.userId, spec, q);
    const reserveUnits = Math.max(...covered.map((c) => c.units));
    const outputs: ChargedOutput[] = [];
    const meter: ChargeMeter = {
      quote: q,
      covered: covered.map((c) => c.option),
      delivered: (o) => void outputs.push(o),
    };
    if (reserveUnits === 0) return work(meter);
    const held = await this.reserve({
      userId: job.userId,
      jobId: job.jobId,
      credits: toCredits(reserveUnits),
      idempotencyKey: `job:${job.jobId}`,
    });
    if (held.status !== 'reserved') {
      throw conflict('already_settled', 'This job was already charged or refunded; start a new one.', {
        job_id: job.jobId,
        status: held.status,
      });
    }
    let result: T;
    try {
      result = await work(meter);
    } catch (e) {
      const code = e instanceof AppError ? e.code : 'internal_error';
      await this.release(job.jobId, `job failed: ${code}`);
      throw e;
    }
    if (job.signal?.aborted) {
      await this.release(job.jobId, 'job canceled');
    } else if (outputs.length === 0) {
      await this.release(job.jobId, 'nothing delivered');
    } else {
      const charged = chargeFor(outputs);
      await this.capture(job.jobId, charged, `${outputs.length} of ${spec.count} delivered`);
    }
    return result;
  }

  /**
   * The first choice, then each fallback the balance could pay for in full, with its price in units.
   * A fallback the balance cannot cover is left out rather than refusing the whole job.
   */
  private async coveredFallbacks(
    userId: number,
    spec: ChargeSpec,
    first: Quote,
  ): Promise<Array<{ option: ChargeOption; units: number }>> {
    const covered = [{ option: { provider: spec.provider, model: spec.model }, units: first.totalUnits }];
    if (!spec.fallbacks?.length) return covered;
    const { balance } = await this.accounts.account(userId);
    for (const option of spec.fallbacks) {
      const units = quoteCharge({ ...spec, ...option }).totalUnits;
      if (units <= balance) covered.push({ option, units });
    }
    return covered;
  }
}
