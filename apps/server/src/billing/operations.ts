import { isOperation, type Operation } from '../providers/types.ts';

/** Operations that run on this server only (cropping, compression, conversion): they cost 0 credits. */
export type LocalOperation = 'social.optimize' | `process.${string}`;
export type BillableOperation = Operation | LocalOperation;

const PROCESS_OP = /^process\.[a-z][a-z0-9_]*$/;

export const isLocalOperation = (op: BillableOperation): op is LocalOperation =>
  op === 'social.optimize' || PROCESS_OP.test(op);

/**
 * Maps a requested operation to ours. The original's estimate endpoint defaults to `generate`, which
 * is our `create`. Returns undefined for anything unknown.
 */
export function normalizeOperation(raw: string): BillableOperation | undefined {
  const op = raw.trim();
  if (op === 'generate') return 'create';
  if (isOperation(op)) return op;
  if (op === 'social.optimize' || PROCESS_OP.test(op)) return op as LocalOperation;
  return undefined;
}
