import { randomUUID } from 'node:crypto';
import type { CreditHistory, CreditsSummary } from '@studio/contracts';
import type { AuthUser } from '../auth/auth.service.ts';
import { badRequest, conflict, forbidden, notFound } from '../errors.ts';
import type { CreditAccountRow } from './billing.tables.ts';
import type { BillingServiceDeps } from './billing-deps.ts';
import { isUniqueViolation } from './credit.repository.ts';
import { toCredits, toUnits } from './money.ts';
import { DEFAULT_PLANS, PLANS, type Plan, type PlanId } from './plans.ts';
import { ledgerView, planView } from './presenters.ts';

/**
 * Credit accounts: opened on first use with this month's allowance, the summary and ledger history,
 * and the admin's plan changes and grants.
 */
export class CreditAccounts {
  constructor(
    private readonly deps: BillingServiceDeps,
    private readonly now: () => string,
  ) {}

  private period(): string {
    return this.now().slice(0, 7);
  }

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
}

function requireAdmin(actor: AuthUser): void {
  if (actor.role !== 'admin') throw forbidden('Only an admin can change plans and credits.');
}
