import { z } from 'zod';

export const Health = z
  .object({
    status: z.enum(['healthy', 'degraded']),
    service: z.literal('image_studio'),
    needs_setup: z.boolean(),
    version: z.string().optional(),
    modules: z.record(z.string(), z.string()).optional(),
    database: z
      .object({ status: z.enum(['ok', 'error']), dialect: z.string(), error: z.string().optional() })
      .optional(),
    storage: z
      .object({ status: z.enum(['ok', 'error']), kind: z.string(), error: z.string().optional() })
      .optional(),
    jobs: z.object({ runner: z.enum(['inline', 'bullmq']) }).optional(),
  })
  .describe(
    'Anonymous callers get only status, service and needs_setup; the details need a session or token.',
  );
export type Health = z.infer<typeof Health>;
