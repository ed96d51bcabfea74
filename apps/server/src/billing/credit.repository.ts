import type { Transaction } from 'kysely';
import type { Database, JobStatus } from '../db/schema.ts';
import type {
  BillingDb,
  BillingTables,
  CreditAccountRow,
  LedgerKind,
  LedgerRow,
  ReservationRow,
} from './billing.tables.ts';
import type { PlanId } from './plans.ts';

type Trx = Transaction<Database & BillingTables>;

export interface LedgerEntry {
  userId: number;
  kind: LedgerKind;
  amount: number;
  balanceAfter: number;
  jobId?: string | null;
  key: string;
  note?: string | null;
  now: string;
}

export type ReserveOutcome =
  | { kind: 'reserved'; reservation: ReservationRow; balance: number }
  | { kind: 'insufficient'; balance: number };

export type AdjustOutcome = { kind: 'done'; balance: number } | { kind: 'insufficient'; balance: number };

/** A second write with the same idempotency key (or job id) lost the race to the first. */
export function isUniqueViolation(e: unknown): boolean {
  if (!(e instanceof Error) || !('code' in e)) return false;
  const code = String(e.code);
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/**
 * The only code that touches billing's tables. Every balance change is one transaction that moves
 * the balance with a conditional UPDATE (`balance >= x` for debits, so the check and the write are one
 * statement: a row lock on PostgreSQL, the single serialised connection on SQLite) and appends the
 * ledger row whose unique idempotency key makes a replay fail instead of writing twice.
 */
export class CreditRepository {
  constructor(private readonly db: BillingDb) {}

  account(userId: number): Promise<CreditAccountRow | undefined> {
    return this.db.selectFrom('credit_accounts').selectAll().where('user_id', '=', userId).executeTakeFirst();
  }

  async userRole(userId: number): Promise<'admin' | 'user' | undefined> {
    const row = await this.db.selectFrom('users').select('role').where('id', '=', userId).executeTakeFirst();
    return row?.role;
  }

  async ensureAccount(userId: number, plan: PlanId, now: string): Promise<void> {
    await this.db
      .insertInto('credit_accounts')
      .values({ user_id: userId, plan, balance: 0, allowance_period: null, created_at: now, updated_at: now })
      .onConflict((oc) => oc.column('user_id').doNothing())
      .execute();
  }

  async setPlan(userId: number, plan: PlanId, now: string): Promise<void> {
    await this.db
      .updateTable('credit_accounts')
      .set({ plan, updated_at: now })
      .where('user_id', '=', userId)
      .execute();
  }

  /** Adds the month's allowance once: only the update that moves `allowance_period` to `period` wins. */
  grantAllowance(userId: number, period: string, units: (plan: PlanId) => number, now: string) {
    return this.db.transaction().execute(async (trx) => {
      const account = await trx
        .selectFrom('credit_accounts')
        .select('plan')
        .where('user_id', '=', userId)
        .executeTakeFirst();
      if (!account) return false;
      const amount = units(account.plan);
      const updated = await trx
        .updateTable('credit_accounts')
        .set((eb) => ({ balance: eb('balance', '+', amount), allowance_period: period, updated_at: now }))
        .where('user_id', '=', userId)
        .where((eb) => eb.or([eb('allowance_period', 'is', null), eb('allowance_period', '<>', period)]))
        .returning('balance')
        .executeTakeFirst();
      if (!updated) return false;
      await this.append(trx, {
        userId,
        kind: 'monthly_allowance',
        amount,
        balanceAfter: updated.balance,
        key: `allowance:${userId}:${period}`,
        note: `${account.plan} plan allowance for ${period}`,
        now,
      });
      return true;
    });
  }

  reserve(input: { userId: number; jobId: string; units: number; key: string; now: string }) {
    return this.db.transaction().execute(async (trx): Promise<ReserveOutcome> => {
      const debited = await trx
        .updateTable('credit_accounts')
        .set((eb) => ({ balance: eb('balance', '-', input.units), updated_at: input.now }))
        .where('user_id', '=', input.userId)
        .where('balance', '>=', input.units)
        .returning('balance')
        .executeTakeFirst();
      if (!debited) {
        return { kind: 'insufficient', balance: await this.balanceIn(trx, input.userId) };
      }
      const reservation = await trx
        .insertInto('credit_reservations')
        .values({
          job_id: input.jobId,
          user_id: input.userId,
          amount: input.units,
          captured: null,
          status: 'reserved',
          idempotency_key: input.key,
          created_at: input.now,
          settled_at: null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await this.append(trx, {
        userId: input.userId,
        kind: 'reserve',
        amount: -input.units,
        balanceAfter: debited.balance,
        jobId: input.jobId,
        key: input.key,
        now: input.now,
      });
      return { kind: 'reserved', reservation, balance: debited.balance };
    });
  }

  /**
   * Turns a reservation into a charge of `units` (at most what was held) and gives the rest back.
   * Only a reservation still `reserved` changes, so a second capture or a capture after a release
   * is a no-op; returns the reservation as it is afterwards.
   */
  capture(jobId: string, units: number, now: string, note?: string) {
    return this.db.transaction().execute(async (trx) => {
      const held = await this.reservationIn(trx, jobId);
      if (held?.status !== 'reserved') return held;
      const charged = Math.max(0, Math.min(units, held.amount));
      const settled = await trx
        .updateTable('credit_reservations')
        .set({ status: 'captured', captured: charged, settled_at: now })
        .where('job_id', '=', jobId)
        .where('status', '=', 'reserved')
        .returningAll()
        .executeTakeFirst();
      if (!settled) return this.reservationIn(trx, jobId);
      const balance = await this.balanceIn(trx, held.user_id);
      await this.append(trx, {
        userId: held.user_id,
        kind: 'capture',
        amount: 0,
        balanceAfter: balance,
        jobId,
        key: `capture:${jobId}`,
        note: note ?? null,
        now,
      });
      const unused = held.amount - charged;
      if (unused > 0) {
        const after = await this.credit(trx, held.user_id, unused, now);
        await this.append(trx, {
          userId: held.user_id,
          kind: 'refund',
          amount: unused,
          balanceAfter: after,
          jobId,
          key: `refund:${jobId}`,
          note: 'unused part of the reservation',
          now,
        });
      }
      return settled;
    });
  }

  /** Gives a held reservation back in full; a no-op once it is captured or released. */
  release(jobId: string, now: string, note: string) {
    return this.db.transaction().execute(async (trx) => {
      const settled = await trx
        .updateTable('credit_reservations')
        .set({ status: 'released', captured: 0, settled_at: now })
        .where('job_id', '=', jobId)
        .where('status', '=', 'reserved')
        .returningAll()
        .executeTakeFirst();
      if (!settled) return this.reservationIn(trx, jobId);
      const after = await this.credit(trx, settled.user_id, settled.amount, now);
      await this.append(trx, {
        userId: settled.user_id,
        kind: 'release',
        amount: settled.amount,
        balanceAfter: after,
        jobId,
        key: `release:${jobId}`,
        note,
        now,
      });
      return settled;
    });
  }

  /** A grant (positive) or correction (negative, never below zero). */
  adjust(input: {
    userId: number;
    units: number;
    key: string;
    note: string;
    now: string;
    kind?: 'grant' | 'monthly_allowance';
  }) {
    return this.db.transaction().execute(async (trx): Promise<AdjustOutcome> => {
      const moved = await trx
        .updateTable('credit_accounts')
        .set((eb) => ({ balance: eb('balance', '+', input.units), updated_at: input.now }))
        .where('user_id', '=', input.userId)
        .where('balance', '>=', Math.max(0, -input.units))
        .returning('balance')
        .executeTakeFirst();
      if (!moved) {
        return { kind: 'insufficient', balance: await this.balanceIn(trx, input.userId) };
      }
      await this.append(trx, {
        userId: input.userId,
        kind: input.kind ?? 'grant',
        amount: input.units,
        balanceAfter: moved.balance,
        key: input.key,
        note: input.note,
        now: input.now,
      });
      return { kind: 'done', balance: moved.balance };
    });
  }

  reservation(jobId: string): Promise<ReservationRow | undefined> {
    return this.reservationIn(this.db, jobId);
  }

  reservationByKey(key: string): Promise<ReservationRow | undefined> {
    return this.db
      .selectFrom('credit_reservations')
      .selectAll()
      .where('idempotency_key', '=', key)
      .executeTakeFirst();
  }

  ledgerByKey(key: string): Promise<LedgerRow | undefined> {
    return this.db
      .selectFrom('credit_ledger')
      .selectAll()
      .where('idempotency_key', '=', key)
      .executeTakeFirst();
  }

  history(userId: number, limit: number, offset: number): Promise<LedgerRow[]> {
    return this.db
      .selectFrom('credit_ledger')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('id', 'desc')
      .limit(limit)
      .offset(offset)
      .execute();
  }

  async countLedger(userId: number): Promise<number> {
    const row = await this.db
      .selectFrom('credit_ledger')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', userId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Units charged since `since` and units still held by running jobs. */
  async usage(userId: number, since: string): Promise<{ captured: number; held: number }> {
    const captured = await this.db
      .selectFrom('credit_reservations')
      .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('captured'), eb.lit(0)).as('units'))
      .where('user_id', '=', userId)
      .where('status', '=', 'captured')
      .where('settled_at', '>=', since)
      .executeTakeFirstOrThrow();
    const held = await this.db
      .selectFrom('credit_reservations')
      .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount'), eb.lit(0)).as('units'))
      .where('user_id', '=', userId)
      .where('status', '=', 'reserved')
      .executeTakeFirstOrThrow();
    return { captured: Number(captured.units), held: Number(held.units) };
  }

  /** Jobs of any kind the user started since `since`. */
  async jobsSince(userId: number, since: string): Promise<number> {
    const row = await this.db
      .selectFrom('jobs')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', userId)
      .where('created_at', '>=', since)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async reservationsSince(userId: number, since: string): Promise<number> {
    const row = await this.db
      .selectFrom('credit_reservations')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', userId)
      .where('created_at', '>=', since)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Held reservations (all, or one job's) with their job's status (null when the job row is gone). */
  openReservations(jobId?: string): Promise<Array<{ job_id: string; job_status: JobStatus | null }>> {
    let query = this.db
      .selectFrom('credit_reservations')
      .leftJoin('jobs', 'jobs.id', 'credit_reservations.job_id')
      .select(['credit_reservations.job_id', 'jobs.status as job_status'])
      .where('credit_reservations.status', '=', 'reserved');
    if (jobId) query = query.where('credit_reservations.job_id', '=', jobId);
    return query.execute();
  }

  private reservationIn(db: BillingDb | Trx, jobId: string): Promise<ReservationRow | undefined> {
    return db.selectFrom('credit_reservations').selectAll().where('job_id', '=', jobId).executeTakeFirst();
  }

  private async balanceIn(trx: Trx, userId: number): Promise<number> {
    const row = await trx
      .selectFrom('credit_accounts')
      .select('balance')
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row?.balance ?? 0;
  }

  private async credit(trx: Trx, userId: number, units: number, now: string): Promise<number> {
    const row = await trx
      .updateTable('credit_accounts')
      .set((eb) => ({ balance: eb('balance', '+', units), updated_at: now }))
      .where('user_id', '=', userId)
      .returning('balance')
      .executeTakeFirstOrThrow();
    return row.balance;
  }

  private async append(trx: Trx, e: LedgerEntry): Promise<void> {
    await trx
      .insertInto('credit_ledger')
      .values({
        user_id: e.userId,
        kind: e.kind,
        amount: e.amount,
        balance_after: e.balanceAfter,
        job_id: e.jobId ?? null,
        idempotency_key: e.key,
        note: e.note ?? null,
        created_at: e.now,
      })
      .execute();
  }
}
