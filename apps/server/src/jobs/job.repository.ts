import type { Kysely } from 'kysely';
import type { Database, JobRow, JobStatus } from '../db/schema.ts';

export class JobRepository {
  constructor(private readonly db: Kysely<Database>) {}

  create(row: { id: string; user_id: number; type: string; input: string; now: string }): Promise<JobRow> {
    return this.db
      .insertInto('jobs')
      .values({
        id: row.id,
        user_id: row.user_id,
        type: row.type,
        status: 'queued',
        progress: 0,
        input: row.input,
        attempts: 0,
        created_at: row.now,
        updated_at: row.now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  get(id: string): Promise<JobRow | undefined> {
    return this.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findOwned(userId: number, id: string): Promise<JobRow | undefined> {
    return this.db
      .selectFrom('jobs')
      .selectAll()
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .executeTakeFirst();
  }

  /** The user's newest jobs, optionally only those in the given statuses. */
  listOwned(userId: number, statuses: readonly JobStatus[] | undefined, limit: number): Promise<JobRow[]> {
    let q = this.db.selectFrom('jobs').selectAll().where('user_id', '=', userId);
    if (statuses) q = q.where('status', 'in', [...statuses]);
    return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  }

  /**
   * Marks a running job as saving its results; false when it is no longer running (canceled) or
   * another attempt has taken it over (this run's worker was taken for dead).
   */
  async commit(id: string, attempt: number, now: string): Promise<boolean> {
    const res = await this.db
      .updateTable('jobs')
      .set({ committed_at: now, updated_at: now })
      .where('id', '=', id)
      .where('status', '=', 'running')
      .where('attempts', '=', attempt)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  /** queued | running (not yet committed) → canceled; false when too late. */
  async cancel(id: string, now: string): Promise<boolean> {
    const res = await this.db
      .updateTable('jobs')
      .set({
        status: 'canceled',
        error_code: 'canceled',
        error_message: 'Canceled by the user.',
        finished_at: now,
        updated_at: now,
      })
      .where('id', '=', id)
      .where('status', 'in', ['queued', 'running'])
      .where('committed_at', 'is', null)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  /** queued → running; false when the job was canceled (or taken) meanwhile. */
  async start(id: string, now: string): Promise<boolean> {
    const res = await this.db
      .updateTable('jobs')
      .set((eb) => ({
        status: 'running',
        started_at: now,
        updated_at: now,
        attempts: eb('attempts', '+', 1),
      }))
      .where('id', '=', id)
      .where('status', '=', 'queued')
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  async progress(id: string, progress: number, now: string): Promise<void> {
    await this.db
      .updateTable('jobs')
      .set({ progress, updated_at: now })
      .where('id', '=', id)
      .where('status', '=', 'running')
      .execute();
  }

  /**
   * Moves a job to a terminal status only from one of `from` (and, given `attempt`, only if no later
   * attempt has taken it over); returns whether it did.
   */
  async finish(
    id: string,
    from: JobStatus[],
    values: {
      status: JobStatus;
      result?: string | null;
      error_code?: string | null;
      error_message?: string | null;
      progress?: number;
    },
    now: string,
    attempt?: number,
  ): Promise<boolean> {
    let q = this.db
      .updateTable('jobs')
      .set({ ...values, finished_at: now, updated_at: now })
      .where('id', '=', id)
      .where('status', 'in', from);
    if (attempt !== undefined) q = q.where('attempts', '=', attempt);
    const res = await q.executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  /** Puts a crashed run back in the queue (only when `mayRunAgain` allows). */
  async requeue(id: string, now: string): Promise<void> {
    await this.db
      .updateTable('jobs')
      .set({ status: 'queued', progress: 0, started_at: null, updated_at: now })
      .where('id', '=', id)
      .where('status', '=', 'running')
      .execute();
  }

  listByStatus(statuses: JobStatus[]): Promise<JobRow[]> {
    return this.db
      .selectFrom('jobs')
      .selectAll()
      .where('status', 'in', statuses)
      .orderBy('created_at')
      .execute();
  }
}
