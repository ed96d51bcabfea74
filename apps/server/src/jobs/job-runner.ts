import type { JobKind } from './job-kind.ts';

/** Where queued jobs execute: in this process, or in BullMQ workers on Redis. */
export interface JobRunner {
  readonly kind: 'inline' | 'bullmq';
  enqueue(jobId: string, type: string, kind: JobKind): Promise<void>;
  /** Whether a job row left `running` may still be running somewhere else right now. */
  mayStillBeRunning(jobId: string): Promise<boolean>;
  /** Kinds of job no worker takes right now: a job of such a kind waits in the queue. */
  unworkedKinds(): Promise<JobKind[]>;
  close(): Promise<void>;
}
