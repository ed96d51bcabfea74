import type { z } from 'zod';
import type { JobStatus } from '../db/schema.ts';

export interface JobContext<I> {
  jobId: string;
  userId: number;
  input: I;
  attempt: number;
  /** Reports progress 0–100; cheap to call often (coalesced before it reaches the database). */
  progress(percent: number, message?: string): Promise<void>;
  /** Aborted when the user cancels the job; long handlers pass it on or check it between steps. */
  signal: AbortSignal;
  /**
   * The point of no return, called just before the first result is saved: throws if the job was
   * canceled, and from then on a cancel is refused (409), so a canceled job never leaves results.
   */
  commit(): Promise<void>;
}

/**
 * A named unit of work. Every billable operation is one; the route submits it and either waits for
 * the result (the original API's synchronous style) or returns the job at once.
 */
export interface JobHandler<I = unknown, R = unknown> {
  type: string;
  /**
   * The input's schema (the product's job types take theirs from the contracts): a row whose input
   * does not match, written by an older version or damaged, fails with `invalid_job_input` unrun.
   */
  input?: z.ZodType<I>;
  run(ctx: JobContext<I>): Promise<R>;
  /**
   * True when this input runs only on the worker's own machine and calls no paid provider: such a
   * job queues with the local-model jobs and, if its worker dies, may run once more (see job-kind.ts).
   * Without it a job counts as cloud: its own concurrency, and never run twice.
   */
  local?(input: I): boolean;
}

export interface JobEventMessage {
  id: string;
  status: JobStatus;
  progress: number;
  message?: string;
}

export const TERMINAL: ReadonlySet<JobStatus> = new Set(['succeeded', 'failed', 'canceled']);
