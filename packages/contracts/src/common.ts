import { z } from 'zod';

/** The one error shape every endpoint answers with on failure. */
export const ErrorResponse = z
  .object({
    error: z.object({
      code: z.string().describe('Stable machine-readable code, e.g. validation_failed, not_found.'),
      message: z.string().describe('Human-readable explanation.'),
      details: z.unknown().optional(),
    }),
    requestId: z.string(),
  })
  .meta({ id: 'ErrorResponse' });
export type ErrorResponse = z.infer<typeof ErrorResponse>;

/** Row ids are int4 on PostgreSQL: a larger id cannot exist, so it is refused before any query. */
export const INT4_MAX = 2_147_483_647;
export const Id = z.number().int().positive().max(INT4_MAX);
/** An id from a path, a query string or a form field. */
export const CoercedId = z.coerce.number().int().positive().max(INT4_MAX);
export const IdParam = z.object({ id: CoercedId });

const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/**
 * Free text a client sends. NUL cannot be stored in PostgreSQL text and a lone surrogate is not
 * Unicode at all; both are refused here rather than failing deep inside a query or a job.
 */
export const Text = () =>
  z
    .string()
    .refine(
      (s) => !s.includes('\u0000') && !LONE_SURROGATE.test(s),
      'Text must be valid Unicode without NUL characters.',
    );

/**
 * Whether free-form JSON stays within `maxDepth` levels and about `maxBytes` of content. Walked with
 * a stack, not recursion, so a value nested a million deep is measured rather than overflowing the
 * stack here or later in JSON.stringify.
 */
export function jsonWithin(maxDepth: number, maxBytes: number) {
  return (value: unknown): boolean => {
    const stack: Array<[unknown, number]> = [[value, 0]];
    let bytes = 0;
    while (stack.length > 0) {
      const [v, depth] = stack.pop() ?? [null, 0];
      if (depth > maxDepth) return false;
      bytes += typeof v === 'string' ? v.length + 2 : 8;
      if (bytes > maxBytes) return false;
      if (typeof v === 'object' && v !== null) {
        for (const [k, child] of Object.entries(v)) {
          bytes += k.length + 3;
          stack.push([child, depth + 1]);
        }
      }
    }
    return true;
  };
}

/** An image as base64 or a data URL; the decoder enforces the configured byte limit. */
export const Base64Image = z.string().min(1).max(70_000_000);
export const Ok = z.object({ ok: z.literal(true) });
