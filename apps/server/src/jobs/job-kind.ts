import type { JobRow } from '../db/schema.ts';
import type { JobHandler } from './job.types.ts';

/** local: runs the models on the worker's machine and pays no one; cloud: may call a paid provider. */
export type JobKind = 'local' | 'cloud';

export const JOB_KINDS: readonly JobKind[] = ['local', 'cloud'];

export function kindOf(handler: JobHandler | undefined, input: unknown): JobKind {
  return handler?.local?.(input) ? 'local' : 'cloud';
}

/**
 * Whether a job whose run died mid-way (its process killed, its worker's lock lost) may start again
 * from scratch. Only a local job, only once, and only before it began saving results: a paid call
 * must never be made twice, and a job that saved some results would save them again.
 */
export function mayRunAgain(row: JobRow, handler: JobHandler | undefined): boolean {
  return row.attempts < 2 && row.committed_at === null && kindOf(handler, JSON.parse(row.input)) === 'local';
}
