import type { ProviderId, Quality } from '../providers/types.ts';
import type { ReservationRow } from './billing.tables.ts';
import type { BillableOperation } from './operations.ts';
import type { ChargedOutput, Quote } from './pricing.ts';

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
