import { randomUUID } from 'node:crypto';
import {
  JOB_RESULTS,
  Job,
  type JobInput,
  type JobListQuery,
  type JobResult,
  type JobStatus,
  type JobType,
} from '@studio/contracts';
import type { FastifyBaseLogger } from 'fastify';
import { z } from 'zod';
import type { JobRow } from '../db/schema.ts';
import { AppError, badRequest, conflict, notFound } from '../errors.ts';
import { tryParseJson } from '../util/try-parse-json.ts';
import { markInterrupted } from './interrupted.ts';
import type { JobRepository } from './job.repository.ts';
import { type JobEventMessage, TERMINAL } from './job.types.ts';
import type { JobEventBus } from './job-events.ts';
import { kindOf, kindOfRow, mayRunAgain } from './job-kind.ts';
import type { JobRegistry } from './job-registry.ts';
import type { JobRunner } from './job-runner.ts';
import { WorkerPresence } from './worker-presence.ts';

export interface WorkerWait {
  waiting_for_worker: boolean;
  notice: string | null;
}

export interface JobServiceDeps {
  repo: JobRepository;
  registry: JobRegistry;
  runner: JobRunner;
  events: JobEventBus;
  log: FastifyBaseLogger;
  clock?: () => Date;
  /** How long a "no worker for this kind" check is reused across job answers (default 3 s). */
  workerCheckMs?: number;
}

export class JobService {
  private readonly clock: () => Date;
  private readonly presence: WorkerPresence;

  constructor(private readonly deps: JobServiceDeps) {
    this.clock = deps.clock ?? (() => new Date());
    this.presence = new WorkerPresence(deps.runner, deps.workerCheckMs);
  }

  private now(): string {
    return this.clock().toISOString();
  }

  async submit(userId: number, type: string, input: unknown): Promise<JobRow> {
    const handler = this.deps.registry.get(type);
    if (!handler) {
      throw badRequest(`Unknown operation: ${type}.`);
    }
    const row = await this.deps.repo.create({
      id: randomUUID(),
      user_id: userId,
      type,
      input: JSON.stringify(input ?? null),
      now: this.now(),
    });
    await this.deps.runner.enqueue(row.id, type, kindOf(handler, input));
    return row;
  }

  /**
   * Runs a job and resolves with its result, or rejects with the job's own error (same status and
   * code as if the work had run in the request): the original API's synchronous style.
   */
  async run<T extends JobType>(
    userId: number,
    type: T,
    input: JobInput<T>,
  ): Promise<{ job: JobRow; result: JobResult<T> }> {
    const { job, result } = await this.runUntyped(userId, type, input);
    return { job, result: RESULTS[type].parse(result) };
  }

  /** `run` for a type outside the contracts (a test's or an extension's): the result as stored. */
  async runUntyped(userId: number, type: string, input: unknown): Promise<{ job: JobRow; result: unknown }> {
    const submitted = await this.submit(userId, type, input);
    const job = await this.waitFor(submitted.id);
    if (job.status === 'succeeded') {
      return { job, result: tryParseJson(job.result ?? 'null') ?? null };
    }
    throw jobError(job);
  }

  /** Resolves once the job is terminal; subscribes before reading so no transition is missed. */
  waitFor(jobId: string): Promise<JobRow> {
    return new Promise<JobRow>((resolve, reject) => {
      let settled = false;
      const check = async () => {
        const row = await this.deps.repo.get(jobId);
        if (row && TERMINAL.has(row.status) && !settled) {
          settled = true;
          unsubscribe();
          resolve(row);
        }
      };
      const unsubscribe = this.deps.events.subscribe(jobId, (e) => {
        if (TERMINAL.has(e.status)) {
          check().catch(reject);
        }
      });
      check().catch(reject);
    });
  }

  /** The user's newest jobs: all, the active ones (queued or running), or one status. */
  async list(userId: number, filter: JobListQuery['status'], limit: number): Promise<Job[]> {
    const statuses: JobStatus[] | undefined =
      filter === 'all' ? undefined : filter === 'active' ? ['queued', 'running'] : [filter];
    const rows = await this.deps.repo.listOwned(userId, statuses, limit);
    return Promise.all(rows.map((row) => this.present(row)));
  }

  async get(userId: number, jobId: string): Promise<Job> {
    return this.present(await this.owned(userId, jobId));
  }

  /** The row as the API shows it, saying so when it is queued and no worker takes its kind. */
  async present(row: JobRow): Promise<Job> {
    return toJob(row, await this.waiting(row));
  }

  /** Whether a queued job waits for a worker, and the notice that tells the user. */
  async waiting(row: JobRow): Promise<WorkerWait> {
    const notice =
      row.status === 'queued'
        ? await this.presence.noticeFor(kindOfRow(row, this.deps.registry.get(row.type)))
        : null;
    return { waiting_for_worker: notice !== null, notice };
  }

  async owned(userId: number, jobId: string): Promise<JobRow> {
    const row = await this.deps.repo.findOwned(userId, jobId);
    if (!row) {
      throw notFound('Job');
    }
    return row;
  }

  async cancel(userId: number, jobId: string): Promise<Job> {
    const row = await this.owned(userId, jobId);
    if (!TERMINAL.has(row.status)) {
      if (await this.deps.repo.cancel(jobId, this.now())) {
        await this.deps.events.publish({ id: jobId, status: 'canceled', progress: row.progress });
      } else {
        const now = await this.owned(userId, jobId);
        if (!TERMINAL.has(now.status)) {
          throw conflict(
            'job_finishing',
            'The job is already saving its result and can no longer be canceled.',
            {
              job_id: jobId,
            },
          );
        }
      }
    }
    return this.present(await this.owned(userId, jobId));
  }

  subscribe(jobId: string, listener: (event: JobEventMessage) => void): () => void {
    return this.deps.events.subscribe(jobId, listener);
  }

  /**
   * After a restart: a job left `running` by a dead process is failed with `interrupted`, or queued
   * again when `mayRunAgain` allows; queued jobs no runner holds any more are re-queued.
   */
  async recover(): Promise<{ failed: number; requeued: number }> {
    let failed = 0;
    let requeued = 0;
    for (const row of await this.deps.repo.listByStatus(['running', 'queued'])) {
      if (await this.deps.runner.mayStillBeRunning(row.id)) {
        continue;
      }
      const handler = this.deps.registry.get(row.type);
      if (row.status === 'queued' || mayRunAgain(row, handler)) {
        await this.deps.repo.requeue(row.id, this.now());
        await this.deps.runner.enqueue(row.id, row.type, kindOfRow(row, handler));
        requeued++;
      } else {
        await this.markLost(row.id);
        failed++;
      }
    }
    return { failed, requeued };
  }

  async markLost(jobId: string): Promise<void> {
    await markInterrupted(this.deps.repo, this.deps.events, jobId, this.now());
  }
}

function jobError(job: JobRow): AppError {
  if (job.status === 'canceled') {
    return new AppError(409, 'canceled', 'The job was canceled.');
  }
  const parsed = StoredFailure.safeParse(tryParseJson(job.result ?? '{}'));
  const stored = parsed.success ? parsed.data : {};
  return new AppError(
    stored.status ?? 500,
    job.error_code ?? 'internal_error',
    job.error_message ?? 'The job failed.',
    stored.details ?? undefined,
  );
}

/** How the executor stores a failure in the row's result: the status and details of its error. */
const StoredFailure = z.object({ status: z.number().int().optional(), details: z.unknown().optional() });

const RESULTS: { [T in JobType]: z.ZodType<JobResult<T>> } = JOB_RESULTS;

/**
 * The row as the API shows it. A stored result that no longer matches its type's schema (written
 * by an older version) is shown as null rather than failing the whole list.
 */
export function toJob(row: JobRow, wait: WorkerWait): Job {
  const failed = row.status === 'failed' || row.status === 'canceled';
  const job = {
    id: row.id,
    type: row.type,
    status: row.status,
    progress: row.progress,
    error: failed ? { code: row.error_code ?? 'internal_error', message: row.error_message ?? '' } : null,
    result: row.status === 'succeeded' ? (tryParseJson(row.result ?? 'null') ?? null) : null,
    created_at: row.created_at,
    started_at: row.started_at,
    finished_at: row.finished_at,
    ...wait,
  };
  const parsed = Job.safeParse(job);
  return parsed.success ? parsed.data : Job.parse({ ...job, result: null });
}
