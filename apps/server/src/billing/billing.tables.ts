import type { Generated, Kysely, Selectable } from 'kysely';
import type { Database } from '../db/schema.ts';
import type { PlanId } from './plans.ts';

/**
 * Billing's tables (migration 004-billing). Every amount is an integer in units of 1/100 credit
 * (money.ts), so balance checks in SQL compare integers.
 */
export interface CreditAccountsTable {
  user_id: number;
  plan: PlanId;
  /** Never negative: guarded by conditional updates and a CHECK constraint. */
  balance: number;
  /** `YYYY-MM` of the last monthly allowance granted; null before the first. */
  allowance_period: string | null;
  created_at: string;
  updated_at: string;
}

export const LEDGER_KINDS = [
  'grant',
  'monthly_allowance',
  'reserve',
  'capture',
  'release',
  'refund',
] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];

export interface CreditLedgerTable {
  id: Generated<number>;
  user_id: number;
  kind: LedgerKind;
  /** Signed change of the balance; a capture row is 0 (the reservation becomes the charge). */
  amount: number;
  balance_after: number;
  job_id: string | null;
  /** Unique: replaying a request with the same key never writes twice. */
  idempotency_key: string;
  note: string | null;
  created_at: string;
}

export type ReservationStatus = 'reserved' | 'captured' | 'released';

export interface CreditReservationsTable {
  job_id: string;
  user_id: number;
  /** Units held when the job started. */
  amount: number;
  /** Units finally charged (≤ amount), once captured. */
  captured: number | null;
  status: ReservationStatus;
  idempotency_key: string;
  created_at: string;
  settled_at: string | null;
}

export type BillingTables = {
  credit_accounts: CreditAccountsTable;
  credit_ledger: CreditLedgerTable;
  credit_reservations: CreditReservationsTable;
};

export type BillingDb = Kysely<Database & BillingTables>;
export type CreditAccountRow = Selectable<CreditAccountsTable>;
export type LedgerRow = Selectable<CreditLedgerTable>;
export type ReservationRow = Selectable<CreditReservationsTable>;
