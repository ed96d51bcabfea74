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

/** An image as base64 or a data URL; the decoder enforces the configured byte limit. */
export const Base64Image = z.string().min(1).max(70_000_000);
export const Ok = z.object({ ok: z.literal(true) });
