import { isAppError } from '../errors.ts';

/** Errors about the whole request, not one item: the client should split the batch or come back. */
const WHOLE_BATCH_ERRORS: ReadonlySet<string> = new Set(['output_too_large', 'server_busy']);

/**
 * The original's batch answer: one item at a time (each is CPU-bound); a failed item keeps its
 * place, zeroed, with its error. An answer grown past its size limit or a busy server refuses the
 * whole batch.
 */
export async function runBatch<I, R extends object, Z extends object>(
  items: readonly I[],
  run: (item: I) => Promise<R>,
  zeroed: (item: I) => Z,
  log: (e: unknown) => void,
) {
  const results: Array<
    (R & { success: boolean }) | (Z & { success: false; error: { code: string; message: string } })
  > = [];
  for (const item of items) {
    try {
      results.push({ ...(await run(item)), success: true });
    } catch (e) {
      if (isAppError(e) && WHOLE_BATCH_ERRORS.has(e.code)) throw e;
      if (!isAppError(e)) log(e);
      const error = isAppError(e)
        ? { code: e.code, message: e.message }
        : { code: 'internal_error', message: 'The image could not be processed.' };
      results.push({ ...zeroed(item), success: false as const, error });
    }
  }
  const failed = results.filter((r) => !r.success).length;
  return {
    success: failed === 0,
    results,
    total_images: items.length,
    successful: items.length - failed,
    failed,
  };
}
