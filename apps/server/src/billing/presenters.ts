import type { LedgerEntry } from '@studio/contracts';
import type { LedgerRow, ReservationRow } from './billing.tables.ts';
import type { Settlement } from './charge-types.ts';
import { toCredits } from './money.ts';
import { PLAN_IDS, PLANS, type Plan } from './plans.ts';

export const settlement = (row: ReservationRow): Settlement => ({
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

export const ledgerView = (row: LedgerRow): LedgerEntry => ({
  id: row.id,
  kind: row.kind,
  amount: toCredits(row.amount),
  balance_after: toCredits(row.balance_after),
  job_id: row.job_id,
  note: row.note,
  created_at: row.created_at,
});
