import type { FastifyBaseLogger } from 'fastify';
import { databaseUnavailable } from '../db/database-errors.ts';
import { isAppError } from '../errors.ts';
import { inScope } from '../util/log-scope.ts';
import { markInterrupted } from './interrupted.ts';
import type { JobRepository } from './job.repository.ts';
import type { JobContext } from './job.types.ts';
import type { JobEventBus } from './job-events.ts';
import { parseJobInput } from './job-input.ts';
import { mayRunAgain } from './job-kind.ts';
import type { JobRegistry } from './job-registry.ts';

const PROGRESS_WRITE_INTERVAL_MS = 250;

export interface JobExecutorHooks {
  /** Settles the credits a job reserved once it is failed for a dead run (billing's settleAbandoned). */
  settle?(jobId: string): Promise<unknown>;
  /** A run's outcome and length, for the metrics of the process that ran it. */
  finished?(type: string, status: 'succeeded' | 'failed' | 'canceled', seconds: number): void;
  clock?(): Date;
}

const RECORD_ATTEMPTS = 5;
const RECORD_BACKOFF_MS = 500;

/** Runs one job by id: the same code path for the in-process runner and for BullMQ workers. */
export class JobExecutor {
  constructor(
    private readonly repo: JobRepository,
    private readonly registry: JobRegistry,
    private readonly events: JobEventBus,
    private readonly log: FastifyBaseLogger,
    private readonly hooks: JobExecutorHooks = {},
  ) {}

  private now(): string {
    return (this.hooks.clock?.() ?? new Date()).toISOString();
  }

  /** Fails a job whose run died as `interrupted` and releases what it reserved. */
  async interrupt(jobId: string): Promise<void> {
    await markInterrupted(this.repo, this.events, jobId, this.now());
    await this.hooks.settle?.(jobId);
  }

  /**
   * Never rejects: a failure of the database or the event bus while running or recording the job
   * is logged with the job id (the row is left to start-up recovery), so a runner that does not
   * wait for the outcome cannot leak an unhandled rejection.
   */
  execute(jobId: string): Promise<void> {
    return inScope({ jobId }, () =>
      this.run(jobId).catch((err: unknown) => {
        this.log.error({ err, jobId }, 'job could not be run or recorded');
      }),
    );
  }

  private async run(jobId: string): Promise<void> {
    const row = await this.repo.get(jobId);
    if (!row) {
      return;
    }
    const handler = this.registry.get(row.type);
    if (!handler) {
      await this.fail(jobId, 'unknown_job_type', `No handler for job type ${row.type}.`);
      return;
    }
    const input = parseJobInput(handler, row.input);
    if (!input.ok) {
      // Written by an older version or damaged: running it would fail somewhere deep, or do the wrong thing.
      this.log.warn({ jobId, type: row.type, why: input.message }, 'job input does not match its schema');
      await this.fail(
        jobId,
        'invalid_job_input',
        `This ${row.type} job's input is not valid: ${input.message}`,
      );
      await this.hooks.settle?.(jobId);
      return;
    }
    if (row.status === 'running') {
      // Handed out again after its worker died mid-run (BullMQ's stall check).
      if (!mayRunAgain(row, handler)) {
        this.log.warn({ jobId, type: row.type, attempts: row.attempts }, 'job lost with its worker');
        await this.interrupt(jobId);
        return;
      }
      this.log.warn({ jobId, type: row.type }, 'local job lost with its worker; running it again');
      await this.repo.requeue(jobId, this.now());
    }
    if (!(await this.repo.start(jobId, this.now()))) {
      return;
    }
    await this.events.publish({ id: jobId, status: 'running', progress: 0 });
    const startedAt = performance.now();
    const finished = (status: 'succeeded' | 'failed' | 'canceled') =>
      this.hooks.finished?.(row.type, status, (performance.now() - startedAt) / 1000);

    // A run whose worker was taken for dead (its lock lost while it still ran) must not save or
    // record over the attempt that took the job over: commit and finish belong to this attempt only.
    const attempt = row.attempts + 1;
    const abort = new AbortController();
    const unsubscribe = this.events.subscribe(jobId, (e) => {
      if (e.status === 'canceled') {
        abort.abort(new Error('Job canceled'));
      }
    });
    // Progress reaches the database at most every PROGRESS_WRITE_INTERVAL_MS, the latest value last:
    // a long step after a quick one must not leave the stored progress behind for its whole length.
    let lastWrite = 0;
    let lastProgress = 0;
    let stored = 0;
    let trailing: NodeJS.Timeout | undefined;
    // Progress is advisory: a failed write or publish is logged and never fails the job, nor escapes
    // as an unhandled rejection from handlers that report progress without awaiting it.
    const writeProgress = async () => {
      trailing = undefined;
      if (stored === lastProgress) return;
      lastWrite = Date.now();
      stored = lastProgress;
      try {
        await this.repo.progress(jobId, stored, this.now());
      } catch (err) {
        this.log.warn({ err, jobId }, 'progress write failed');
      }
    };
    const ctx: JobContext<unknown> = {
      jobId,
      userId: row.user_id,
      input: input.value,
      attempt,
      signal: abort.signal,
      commit: async () => {
        if (!(await this.repo.commit(jobId, attempt, this.now()))) {
          if (!abort.signal.aborted) abort.abort(new Error('Job canceled'));
          throw abort.signal.reason;
        }
      },
      progress: async (percent, message) => {
        const p = Math.max(lastProgress, Math.min(99, Math.round(percent)));
        lastProgress = p;
        const wait = lastWrite + PROGRESS_WRITE_INTERVAL_MS - Date.now();
        if (wait <= 0) await writeProgress();
        else trailing ??= setTimeout(writeProgress, wait);
        try {
          await this.events.publish({ id: jobId, status: 'running', progress: p, message });
        } catch (err) {
          this.log.warn({ err, jobId }, 'progress event failed');
        }
      },
    };

    try {
      const result = await handler.run(ctx);
      const done = await this.recorded(() =>
        this.repo.finish(
          jobId,
          ['running'],
          { status: 'succeeded', progress: 100, result: JSON.stringify(result ?? null) },
          this.now(),
          attempt,
        ),
      );
      if (done) {
        await this.events.publish({ id: jobId, status: 'succeeded', progress: 100 });
        finished('succeeded');
      }
    } catch (e) {
      if (abort.signal.aborted) {
        finished('canceled');
        return;
      }
      const known = isAppError(e) ? e : databaseUnavailable(e);
      if (!isAppError(e)) {
        this.log.error({ err: e, jobId, type: row.type }, 'job failed');
      }
      await this.fail(
        jobId,
        known?.code ?? 'internal_error',
        known?.message ?? 'The job failed unexpectedly.',
        known,
        attempt,
      );
      finished('failed');
    } finally {
      clearTimeout(trailing);
      unsubscribe();
    }
  }

  /**
   * Writes a run's outcome, again when the database dropped the connection under it (a restart, a
   * failover, a pooled connection that died idle): unwritten, the row would say `running` until the
   * next start, and a finished job would be recorded as failed.
   */
  private async recorded<T>(write: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await write();
      } catch (e) {
        if (attempt >= RECORD_ATTEMPTS || !databaseUnavailable(e)) throw e;
        this.log.warn({ err: e, attempt }, 'recording the job outcome again');
        await new Promise((r) => setTimeout(r, RECORD_BACKOFF_MS * attempt));
      }
    }
  }

  private async fail(
    jobId: string,
    code: string,
    message: string,
    error?: { status: number; details?: unknown },
    attempt?: number,
  ) {
    const stored = JSON.stringify({ status: error?.status ?? 500, details: error?.details ?? null });
    const done = await this.recorded(() =>
      this.repo.finish(
        jobId,
        ['queued', 'running'],
        { status: 'failed', error_code: code, error_message: message, result: stored },
        this.now(),
        attempt,
      ),
    );
    if (done) {
      await this.events.publish({ id: jobId, status: 'failed', progress: 0, message });
    }
  }
}
