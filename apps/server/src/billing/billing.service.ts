import { randomUUID } from 'node:crypto';
import type {
  CostEstimate,
  CreditHistory,
  CreditsSummary,
  EstimateCostBody,
  LedgerEntry,
} from '@studio/contracts';
import type { FastifyBaseLogger } from 'fastify';
import type { AuthUser } from '../auth/auth.service.ts';
import type { JobStatus } from '../db/schema.ts';
import { AppError, badRequest, conflict, forbidden, notFound } from '../errors.ts';
import { CATALOGUES, canonicalModel, findModel } from '../providers/catalog.ts';
import type { ModelSpec, Operation, ProviderId, Quality } from '../providers/types.ts';
import { chooseModel } from './auto-choice.ts';
import type { CreditAccountRow, LedgerRow, ReservationRow } from './billing.tables.ts';
import { insufficientCredits, planLimit, tooManyJobs } from './billing-errors.ts';
import { type CreditRepository, isUniqueViolation } from './credit.repository.ts';
import { toCredits, toUnits, unitsToUsd } from './money.ts';
import { type BillableOperation, isLocalOperation, normalizeOperation } from './operations.ts';
import { DEFAULT_PLANS, PLAN_IDS, PLANS, type Plan, type PlanId } from './plans.ts';
import { type ChargedOutput, type Quote, quote, unitsForOutputs } from './pricing.ts';

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

/** What a job is about to do, for pricing and the plan check. */
export interface ChargeSpec {
  provider: ProviderId;
  model: string | null;
  operation: BillableOperation;
  /** Images the job will produce (variations, batch size). */
  count: number;
  width?: number;
  height?: number;
  quality?: Quality;
  /**
   * Where the work may fall back to, in order, when `provider` fails. The reservation also covers the
   * dearest of these that the balance allows (`ChargeMeter.covered`), so the capture is always the
   * price of whichever provider delivered, never the first choice's.
   */
  fallbacks?: readonly ChargeOption[];
}

export interface ChargeOption {
  provider: ProviderId;
  model: string | null;
}

export interface Reservation {
  jobId: string;
  credits: number;
  balance: number;
  /** True when this idempotency key had already reserved: nothing was charged again. */
  replayed: boolean;
  status: ReservationRow['status'];
}

export interface Settlement {
  jobId: string;
  status: ReservationRow['status'];
  reserved: number;
  charged: number;
}

/** Handed to the work inside `withCharge`: record each delivered image; only those are charged. */
export interface ChargeMeter {
  readonly quote: Quote;
  /** The first choice and the fallbacks the reservation covers, in order: run only these. */
  readonly covered: readonly ChargeOption[];
  delivered(output: ChargedOutput): void;
}

const ROLLING_MINUTE_MS = 60_000;

/**
 * Costs, credits and plans. Prices come from the providers' catalogue through `pricing.ts`; every
 * balance change goes through the repository's conditional updates and lands in the ledger.
 */
export class BillingService {
  private readonly clock: () => Date;
  private readonly modelsOf: (provider: ProviderId) => readonly ModelSpec[];

  constructor(private readonly deps: BillingServiceDeps) {
    this.clock = deps.clock ?? (() => new Date());
    this.modelsOf = deps.modelsOf ?? ((p) => CATALOGUES[p].models);
  }

  private now(): string {
    return this.clock().toISOString();
  }

  private period(): string {
    return this.now().slice(0, 7);
  }

  // ── accounts ────────────────────────────────────────────────────────────────────────────────

  /** Opens the account on first use and adds this month's allowance once. 404 for an unknown user. */
  async account(userId: number): Promise<CreditAccountRow> {
    let row = await this.deps.repo.account(userId);
    if (!row) {
      const role = await this.deps.repo.userRole(userId);
      if (!role) throw notFound('User');
      const plan = role === 'admin' ? (this.deps.adminPlan ?? DEFAULT_PLANS.admin) : DEFAULT_PLANS.user;
      await this.deps.repo.ensureAccount(userId, plan, this.now());
      row = await this.deps.repo.account(userId);
    }
    const period = this.period();
    if (row && row.allowance_period !== period) {
      await this.deps.repo.grantAllowance(
        userId,
        period,
        (plan) => toUnits(PLANS[plan].monthlyCredits),
        this.now(),
      );
      row = await this.deps.repo.account(userId);
    }
    if (!row) throw notFound('User');
    return row;
  }

  async plan(userId: number): Promise<Plan> {
    return PLANS[(await this.account(userId)).plan];
  }

  /** Bytes of images the user may keep. */
  async storageLimit(userId: number): Promise<number> {
    return this.deps.storageQuotaBytes ?? (await this.plan(userId)).storageBytes;
  }

  async summary(userId: number): Promise<CreditsSummary> {
    const account = await this.account(userId);
    const period = this.period();
    const usage = await this.deps.repo.usage(userId, `${period}-01T00:00:00.000Z`);
    const plan = PLANS[account.plan];
    const storageUsed = (await this.deps.storageUsed?.(userId)) ?? 0;
    return {
      user_id: userId,
      balance: toCredits(account.balance),
      plan: planView(plan),
      period,
      monthly_allowance: plan.monthlyCredits,
      used_this_month: toCredits(usage.captured),
      reserved: toCredits(usage.held),
      storage: { used_bytes: storageUsed, limit_bytes: this.deps.storageQuotaBytes ?? plan.storageBytes },
    };
  }

  /** Another user's credits, for the admin. */
  async summaryFor(actor: AuthUser, userId: number): Promise<CreditsSummary> {
    requireAdmin(actor);
    return this.summary(userId);
  }

  async history(userId: number, page: number, pageSize: number): Promise<CreditHistory> {
    await this.account(userId);
    const [rows, total] = await Promise.all([
      this.deps.repo.history(userId, pageSize, (page - 1) * pageSize),
      this.deps.repo.countLedger(userId),
    ]);
    return { items: rows.map(ledgerView), page, page_size: pageSize, total };
  }

  /**
   * Changes the plan. An upgrade after this month's allowance was granted adds the difference now
   * (once per plan and month); a downgrade takes effect with next month's allowance.
   */
  async setPlan(actor: AuthUser, userId: number, plan: PlanId): Promise<CreditsSummary> {
    requireAdmin(actor);
    const before = await this.account(userId);
    await this.deps.repo.setPlan(userId, plan, this.now());
    const period = this.period();
    const extra = PLANS[plan].monthlyCredits - PLANS[before.plan].monthlyCredits;
    if (extra > 0 && before.allowance_period === period) {
      try {
        await this.deps.repo.adjust({
          userId,
          units: toUnits(extra),
          key: `allowance:${userId}:${period}:${plan}`,
          note: `upgrade from ${before.plan} to ${plan} for ${period}`,
          now: this.now(),
          kind: 'monthly_allowance',
        });
      } catch (e) {
        if (!isUniqueViolation(e)) throw e;
      }
    }
    return this.summary(userId);
  }

  /** Admin grant (or negative correction); a replayed idempotency key changes nothing. */
  async grant(
    actor: AuthUser,
    userId: number,
    credits: number,
    reason: string,
    idempotencyKey?: string,
  ): Promise<CreditsSummary> {
    requireAdmin(actor);
    await this.account(userId);
    const units = toUnits(credits);
    if (units === 0) throw badRequest('Amount rounds to zero credits.');
    const key = idempotencyKey ? `grant:${userId}:${idempotencyKey}` : `grant:${randomUUID()}`;
    if (!(await this.deps.repo.ledgerByKey(key))) {
      try {
        const outcome = await this.deps.repo.adjust({
          userId,
          units,
          key,
          note: `${reason} (by ${actor.email})`,
          now: this.now(),
        });
        if (outcome.kind === 'insufficient') {
          throw conflict('balance_too_low', 'The balance cannot go below zero.', {
            balance: toCredits(outcome.balance),
            requested: credits,
          });
        }
      } catch (e) {
        if (!isUniqueViolation(e)) throw e;
      }
    }
    return this.summary(userId);
  }

  // ── pricing ─────────────────────────────────────────────────────────────────────────────────

  /** Prices a job; the reservation and the capture use the same function (pricing.ts). */
  quote(spec: ChargeSpec): Quote {
    return quote({
      provider: spec.provider,
      model: spec.model,
      operation: spec.operation,
      count: spec.count,
      quality: spec.quality,
      size: spec.width && spec.height ? { width: spec.width, height: spec.height } : undefined,
    });
  }

  /** Credits for what a job delivered, priced exactly like the estimate. */
  chargeFor(outputs: readonly ChargedOutput[]): number {
    return toCredits(unitsForOutputs(outputs));
  }

  /** Providers this user may use now: available (keys) and allowed by the plan. */
  async usableProviders(userId: number): Promise<ProviderId[]> {
    const plan = await this.plan(userId);
    const available = new Set<ProviderId>(['local', ...(await this.deps.availableProviders(userId))]);
    return plan.providers.filter((p) => available.has(p));
  }

  /** The provider and model `auto` picks for an operation and quality, for this user now. */
  async autoChoice(
    userId: number,
    operation: BillableOperation,
    quality: Quality,
  ): Promise<{ provider: ProviderId; model: string | null } | undefined> {
    if (isLocalOperation(operation)) return { provider: 'local', model: null };
    const providers = await this.usableProviders(userId);
    if (this.deps.chooseAuto) return this.deps.chooseAuto({ userId, operation, quality, providers });
    const choice = chooseModel(operation, quality, providers, this.modelsOf);
    return choice && { provider: choice.provider, model: choice.model.id };
  }

  /** Turns an estimate request (provider may be `auto`, model may be omitted or a seed alias) into a spec. */
  async resolve(userId: number, body: EstimateCostBody): Promise<ChargeSpec> {
    const operation = normalizeOperation(body.operation);
    if (!operation) {
      throw badRequest(`Unknown operation: ${body.operation}.`, { operation: body.operation });
    }
    const base = {
      operation,
      count: body.num_images,
      width: body.width ?? undefined,
      height: body.height ?? undefined,
      quality: body.quality,
    };
    if (isLocalOperation(operation)) return { ...base, provider: 'local', model: null };
    if (body.provider === 'auto') {
      const auto = await this.autoChoice(userId, operation, body.quality);
      if (!auto) {
        throw conflict('no_provider', `No provider you can use does ${operation}.`, { operation });
      }
      return { ...base, ...auto };
    }
    const provider = body.provider;
    if (body.model) {
      const model = canonicalModel(provider, body.model);
      if (!findModel(provider, model)) {
        throw badRequest(`Unknown ${provider} model: ${body.model}.`, { provider, model: body.model });
      }
      return { ...base, provider, model };
    }
    const choice = chooseModel(operation, body.quality, [provider], this.modelsOf);
    if (!choice) {
      throw badRequest(`${provider} cannot do ${operation}.`, { provider, operation });
    }
    return { ...base, provider, model: choice.model.id };
  }

  async estimate(userId: number, body: EstimateCostBody): Promise<CostEstimate> {
    const spec = await this.resolve(userId, body);
    const q = this.quote(spec);
    const account = await this.account(userId);
    const auto = isLocalOperation(spec.operation)
      ? undefined
      : await this.autoChoice(userId, spec.operation, body.quality);
    const withinPlan = (await this.planRefusal(userId, spec)) === undefined;
    return {
      provider: q.provider,
      model: q.model,
      operation: spec.operation,
      quality: body.quality,
      num_images: q.count,
      resolution: body.width && body.height ? `${body.width}x${body.height}` : 'default',
      cost_per_image: unitsToUsd(q.unitsPerImage),
      total_cost: unitsToUsd(q.totalUnits),
      currency: 'USD',
      estimated: true,
      credits_per_image: q.creditsPerImage,
      total_credits: q.totalCredits,
      breakdown: q.breakdown,
      auto: auto?.model ? { provider: auto.provider, model: auto.model } : null,
      balance: toCredits(account.balance),
      can_afford: account.balance >= q.totalUnits,
      within_plan: withinPlan,
    };
  }

  // ── charging ────────────────────────────────────────────────────────────────────────────────

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
    const refusal = await this.planRefusal(userId, {
      provider: request.provider,
      count: request.variations,
      width: request.width,
      height: request.height,
    });
    if (refusal) throw refusal;
    const account = await this.account(userId);
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
    await this.account(input.userId);
    try {
      const outcome = await this.deps.repo.reserve({
        userId: input.userId,
        jobId: input.jobId,
        units,
        key: input.idempotencyKey,
        now: this.now(),
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
    const row = await this.deps.repo.capture(jobId, toUnits(actualCredits), this.now(), note);
    return row && settlement(row);
  }

  /** Gives a reservation back in full (failure, cancel, crash). Idempotent. */
  async release(jobId: string, reason = 'job did not complete'): Promise<Settlement | undefined> {
    const row = await this.deps.repo.release(jobId, this.now(), reason);
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
    const q = this.quote(spec);
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
      const charged = this.chargeFor(outputs);
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
    const { balance } = await this.account(userId);
    for (const option of spec.fallbacks) {
      const units = this.quote({ ...spec, ...option }).totalUnits;
      if (units <= balance) covered.push({ option, units });
    }
    return covered;
  }

  /**
   * After a restart (called once the job service has recovered): settles every held reservation whose
   * job is over (see `settleAbandoned`). Jobs still queued or running keep theirs.
   */
  async reconcile(): Promise<{ released: number; captured: number }> {
    let released = 0;
    let captured = 0;
    for (const open of await this.deps.repo.openReservations()) {
      const outcome = await this.settle(open.job_id, open.job_status);
      if (outcome === 'released') released++;
      if (outcome === 'captured') captured++;
    }
    if (released + captured > 0) {
      this.deps.log?.warn({ released, captured }, 'reconciled credit reservations left by a previous run');
    }
    return { released, captured };
  }

  /**
   * Settles one job's held reservation once the job can no longer do it itself (a worker died):
   * released when the job failed, was canceled or interrupted, or no longer exists; captured at the
   * reserved amount when the job succeeded (its result was delivered) but the capture never ran.
   */
  async settleAbandoned(jobId: string): Promise<'released' | 'captured' | 'kept'> {
    const open = (await this.deps.repo.openReservations(jobId))[0];
    return open ? this.settle(open.job_id, open.job_status) : 'kept';
  }

  private async settle(
    jobId: string,
    jobStatus: JobStatus | null,
  ): Promise<'released' | 'captured' | 'kept'> {
    if (jobStatus === 'succeeded') {
      const row = await this.deps.repo.reservation(jobId);
      await this.capture(jobId, toCredits(row?.amount ?? 0), 'job succeeded; captured on reconciliation');
      return 'captured';
    }
    if (jobStatus === null || jobStatus === 'failed' || jobStatus === 'canceled') {
      await this.release(
        jobId,
        jobStatus === null ? 'job no longer exists' : `job ${jobStatus}; released on reconciliation`,
      );
      return 'released';
    }
    return 'kept';
  }

  private async planRefusal(
    userId: number,
    spec: { provider: ProviderId; count: number; width?: number; height?: number },
  ): Promise<AppError | undefined> {
    const plan = await this.plan(userId);
    if (!plan.providers.includes(spec.provider)) {
      return planLimit(`The ${plan.label} plan does not include ${spec.provider}.`, {
        plan: plan.id,
        limit: 'providers',
        allowed: [...plan.providers],
        requested: spec.provider,
      });
    }
    if (spec.count > plan.maxVariations) {
      return planLimit(`The ${plan.label} plan allows ${plan.maxVariations} images per request.`, {
        plan: plan.id,
        limit: 'max_variations',
        allowed: plan.maxVariations,
        requested: spec.count,
      });
    }
    const side = Math.max(spec.width ?? 0, spec.height ?? 0);
    if (side > plan.maxSide) {
      return planLimit(`The ${plan.label} plan allows outputs up to ${plan.maxSide} px per side.`, {
        plan: plan.id,
        limit: 'max_side',
        allowed: plan.maxSide,
        requested: side,
      });
    }
    return undefined;
  }
}

function requireAdmin(actor: AuthUser): void {
  if (actor.role !== 'admin') throw forbidden('Only an admin can change plans and credits.');
}

const settlement = (row: ReservationRow): Settlement => ({
  jobId: row.job_id,
  status: row.status,
  reserved: toCredits(row.amount),
  charged: toCredits(row.captured ?? 0),
});

export const planView = (plan: Plan) => ({
  id: plan.id,
  label: plan.label,
  monthly_credits: plan.monthlyCredits,
  max_variations: plan.maxVariations,
  max_side: plan.maxSide,
  providers: [...plan.providers],
  jobs_per_minute: plan.jobsPerMinute,
  storage_bytes: plan.storageBytes,
});

export const planList = () => PLAN_IDS.map((id) => planView(PLANS[id]));

const ledgerView = (row: LedgerRow): LedgerEntry => ({
  id: row.id,
  kind: row.kind,
  amount: toCredits(row.amount),
  balance_after: toCredits(row.balance_after),
  job_id: row.job_id,
  note: row.note,
  created_at: row.created_at,
});
