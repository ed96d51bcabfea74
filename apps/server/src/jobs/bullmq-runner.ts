import { Queue, QueueEvents, Worker } from 'bullmq';
import type { FastifyBaseLogger } from 'fastify';
import type { JobExecutor } from './job-executor.ts';
import type { JobRunner } from './job-runner.ts';

export const QUEUE_NAME = 'studio-jobs';

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

export interface BullmqRunnerOptions {
  redisUrl: string;
  prefix: string;
  concurrency: number;
  /** Whether this process also works jobs (the server does by default; `npm run worker` always does). */
  work: boolean;
  /** Called when BullMQ gives up on a job whose worker died (stalled), so its row can be failed. */
  onLost(jobId: string): Promise<void>;
}

/** Jobs on a Redis queue, worked by any number of processes on any number of machines. */
export class BullmqJobRunner implements JobRunner {
  readonly kind = 'bullmq';
  private readonly queue: Queue;
  private readonly events: QueueEvents;
  private readonly worker?: Worker;

  constructor(executor: JobExecutor, options: BullmqRunnerOptions, log: FastifyBaseLogger) {
    const connection = connectionOf(options.redisUrl);
    const prefix = options.prefix;
    this.queue = new Queue(QUEUE_NAME, { connection, prefix });
    this.events = new QueueEvents(QUEUE_NAME, { connection, prefix });
    // Without a listener an 'error' (Redis gone, a refused reconnect) would end the process; the
    // clients reconnect on their own, so logging is all there is to do.
    this.queue.on('error', (err) => log.error({ err }, 'bullmq queue error'));
    this.events.on('error', (err) => log.error({ err }, 'bullmq queue events error'));
    this.events.on('failed', ({ jobId, failedReason }) => {
      log.warn({ jobId, failedReason }, 'queue reported a lost job');
      options.onLost(jobId).catch((err: unknown) => log.error({ err, jobId }, 'marking a lost job failed'));
    });
    if (options.work) {
      this.worker = new Worker(QUEUE_NAME, async (job) => executor.execute(String(job.id)), {
        connection,
        prefix,
        concurrency: options.concurrency,
        // A worker that dies mid-job must not have the job silently re-run (it may have called a
        // paid provider): one stall and the job fails, and onLost marks the row.
        maxStalledCount: 0,
      });
      this.worker.on('error', (err) => log.error({ err }, 'bullmq worker error'));
    }
  }

  async enqueue(jobId: string, type: string): Promise<void> {
    await this.queue.add(type, {}, { jobId, removeOnComplete: 1000, removeOnFail: 5000 });
  }

  async mayStillBeRunning(jobId: string): Promise<boolean> {
    const job = await this.queue.getJob(jobId);
    if (!job) {
      return false;
    }
    const state = await job.getState();
    return state === 'active' || state === 'waiting' || state === 'delayed' || state === 'prioritized';
  }

  async waitUntilReady(): Promise<void> {
    await Promise.all([
      this.queue.waitUntilReady(),
      this.events.waitUntilReady(),
      this.worker?.waitUntilReady(),
    ]);
  }

  async close(): Promise<void> {
    await this.worker?.close();
    await this.events.close();
    await this.queue.close();
  }
}
