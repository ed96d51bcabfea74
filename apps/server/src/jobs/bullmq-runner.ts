import { hostname } from 'node:os';
import { Queue, QueueEvents, Worker } from 'bullmq';
import type { FastifyBaseLogger } from 'fastify';
import type { JobExecutor } from './job-executor.ts';
import { JOB_KINDS, type JobKind } from './job-kind.ts';
import type { JobRunner } from './job-runner.ts';

/** One queue per kind, so each worker sets its own concurrency for local models and for cloud calls. */
export const QUEUE_NAMES: Record<JobKind, string> = {
  local: 'studio-jobs-local',
  cloud: 'studio-jobs-cloud',
};

/**
 * How a dead worker is noticed. A live worker renews its lock every LOCK_MS / 2 (7.5 s), so only an
 * event loop blocked that long loses a live job; a dead worker's lock expires after LOCK_MS and the
 * next stall check of any live worker (every STALL_CHECK_MS) hands the job out again: at most
 * LOCK_MS + STALL_CHECK_MS = 25 s after the kill, inside the 30 s the deployment promises.
 */
export const LOCK_MS = 15_000;
export const STALL_CHECK_MS = 10_000;

function connectionOf(redisUrl: string) {
  const u = new URL(redisUrl);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    password: u.password || undefined,
    username: u.username || undefined,
    db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0,
    maxRetriesPerRequest: null,
  };
}

/** One queue as the metrics show it: workers connected to Redis now, and jobs waiting or taken. */
export interface QueueStats {
  queue: string;
  workers: number;
  waiting: number;
  active: number;
}

export interface BullmqRunnerOptions {
  redisUrl: string;
  prefix: string;
  /** Jobs of each kind this process works at once; 0 (or an API-only process) takes none. */
  concurrency: Record<JobKind, number>;
  /** Called when BullMQ gives up on a job (it stalled twice), so its row can be failed. */
  onLost(jobId: string): Promise<void>;
}

/** Jobs on Redis queues, worked by any number of processes on any number of machines. */
export class BullmqJobRunner implements JobRunner {
  readonly kind = 'bullmq';
  private readonly queues: Record<JobKind, Queue>;
  private readonly events: QueueEvents[];
  private readonly workers: Worker[] = [];

  constructor(executor: JobExecutor, options: BullmqRunnerOptions, log: FastifyBaseLogger) {
    const connection = connectionOf(options.redisUrl);
    const prefix = options.prefix;
    const queue = (kind: JobKind) => {
      const q = new Queue(QUEUE_NAMES[kind], { connection, prefix });
      // Without a listener an 'error' (Redis gone, a refused reconnect) would end the process; the
      // clients reconnect on their own, so logging is all there is to do.
      q.on('error', (err) => log.error({ err, queue: QUEUE_NAMES[kind] }, 'bullmq queue error'));
      return q;
    };
    this.queues = { local: queue('local'), cloud: queue('cloud') };
    this.events = JOB_KINDS.map((kind) => {
      const events = new QueueEvents(QUEUE_NAMES[kind], { connection, prefix });
      events.on('error', (err) => log.error({ err, queue: QUEUE_NAMES[kind] }, 'bullmq queue events error'));
      // The processor never throws (execute logs and records every failure), so a failed job is
      // one BullMQ itself gave up on: it stalled again after being handed out once more.
      events.on('failed', ({ jobId, failedReason }) => {
        log.warn({ jobId, failedReason }, 'queue reported a lost job');
        options.onLost(jobId).catch((err: unknown) => log.error({ err, jobId }, 'marking a lost job failed'));
      });
      return events;
    });
    for (const kind of JOB_KINDS) {
      if (options.concurrency[kind] === 0) continue;
      const worker = new Worker(QUEUE_NAMES[kind], async (job) => executor.execute(String(job.id)), {
        connection,
        prefix,
        concurrency: options.concurrency[kind],
        // Stored on each job it takes (`processedBy`): which machine and process holds a job.
        name: `${hostname()}:${process.pid}`,
        lockDuration: LOCK_MS,
        stalledInterval: STALL_CHECK_MS,
        // A stalled job is handed out once more and the executor decides from its row: never
        // started → it runs; local, not yet saving → it runs again; otherwise it is failed
        // `interrupted` with its credits released. A second stall fails it here (onLost).
        maxStalledCount: 1,
      });
      worker.on('error', (err) => log.error({ err, queue: QUEUE_NAMES[kind] }, 'bullmq worker error'));
      this.workers.push(worker);
    }
  }

  async enqueue(jobId: string, type: string, kind: JobKind): Promise<void> {
    // A job id BullMQ still keeps as finished would make add() a no-op (recovery re-queues rows).
    const stale = await this.queues[kind].getJob(jobId);
    const state = await stale?.getState();
    if (state === 'failed' || state === 'completed') {
      await stale?.remove();
    }
    await this.queues[kind].add(type, {}, { jobId, removeOnComplete: 1000, removeOnFail: 5000 });
  }

  async mayStillBeRunning(jobId: string): Promise<boolean> {
    for (const queue of Object.values(this.queues)) {
      const state = await (await queue.getJob(jobId))?.getState();
      if (state === 'active' || state === 'waiting' || state === 'delayed' || state === 'prioritized') {
        return true;
      }
    }
    return false;
  }

  async stats(): Promise<QueueStats[]> {
    return Promise.all(
      JOB_KINDS.map(async (kind) => {
        const queue = this.queues[kind];
        const [workers, counts] = await Promise.all([
          queue.getWorkersCount(),
          queue.getJobCounts('waiting', 'prioritized', 'delayed', 'active'),
        ]);
        const waiting = (counts.waiting ?? 0) + (counts.prioritized ?? 0) + (counts.delayed ?? 0);
        return { queue: QUEUE_NAMES[kind], workers, waiting, active: counts.active ?? 0 };
      }),
    );
  }

  async unworkedKinds(): Promise<JobKind[]> {
    const workers = await Promise.all(JOB_KINDS.map((kind) => this.queues[kind].getWorkersCount()));
    return JOB_KINDS.filter((_, i) => workers[i] === 0);
  }

  async waitUntilReady(): Promise<void> {
    await Promise.all([
      ...Object.values(this.queues).map((q) => q.waitUntilReady()),
      ...this.events.map((e) => e.waitUntilReady()),
      ...this.workers.map((w) => w.waitUntilReady()),
    ]);
  }

  /**
   * Stops taking jobs and waits for the running ones; a supervisor that kills the process after its
   * grace period leaves them to the surviving workers' stall check, as any dead worker's jobs.
   */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close()));
    await Promise.all(this.events.map((e) => e.close()));
    await Promise.all(Object.values(this.queues).map((q) => q.close()));
  }
}
