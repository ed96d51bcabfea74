import type { Kysely } from 'kysely';
import type { BillingTables } from '../billing/billing.tables.ts';
import type { Database, JobStatus } from '../db/schema.ts';

export interface JobCount {
  type: string;
  status: JobStatus;
  count: number;
}

/**
 * What the metrics read from the shared database: the same answer on every API process, so the
 * job and credit gauges describe the whole deployment, whichever process Prometheus scrapes.
 */
export class MetricsRepository {
  constructor(private readonly db: Kysely<Database & BillingTables>) {}

  async jobCounts(): Promise<JobCount[]> {
    const rows = await this.db
      .selectFrom('jobs')
      .select(['type', 'status', (eb) => eb.fn.countAll<number | string>().as('count')])
      .groupBy(['type', 'status'])
      .execute();
    return rows.map((r) => ({ type: r.type, status: r.status, count: Number(r.count) }));
  }

  /** Units held by running jobs (reserved, not yet captured or released). */
  async unitsReserved(): Promise<number> {
    const row = await this.db
      .selectFrom('credit_reservations')
      .select((eb) => eb.fn.coalesce(eb.fn.sum<number | string>('amount'), eb.lit(0)).as('units'))
      .where('status', '=', 'reserved')
      .executeTakeFirst();
    return Number(row?.units ?? 0);
  }
}
