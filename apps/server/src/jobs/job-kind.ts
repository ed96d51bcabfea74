import type { JobRow } from '../db/schema.ts';
import type { JobHandler } from './job.types.ts';
import { parseJobInput } from './job-input.ts';

/** local: runs the models on the worker's machine and pays no one; cloud: may call a paid provider. */
export type JobKind = 'local' | 'cloud';

export const JOB_KINDS: readonly JobKind[] = ['local', 'cloud'];

export function kindOf(handler: JobHandler | undefined, input: unknown): JobKind {
  return handler?.local?.(input) ? 'local' : 'cloud';
}

/** The kind of a stored job; one whose input does not parse counts as cloud (it will fail unrun). */
export function kindOfRow(row: JobRow, handler: JobHandler | undefined): JobKind {
  if (!handler) return 'cloud';
  const input = parseJobInput(handler, row.input);
  return input.ok ? kindOf(handler, input.value) : 'cloud';
}

/**
 * Whether a job whose run died mid-way (its process killed, its worker's lock lost) may start again
 * from scratch. Only a local job, only once, and only before it began saving results: a paid call
 * must never be made twice, and a job that saved some results would save them again.
 */
export function mayRunAgain(row: JobRow, handler: JobHandler | undefined): boolean {
  return row.attempts < 2 && row.committed_at === null && kindOfRow(row, handler) === 'local';
}
