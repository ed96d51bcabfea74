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

export const IdParam = z.object({ id: z.coerce.number().int().positive() });
export const Ok = z.object({ ok: z.literal(true) });
