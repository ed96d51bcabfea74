import { z } from 'zod';

export const Health = z.object({
  status: z.enum(['healthy', 'degraded']),
  service: z.literal('image_studio'),
  version: z.string(),
  modules: z.record(z.string(), z.string()),
  database: z.object({ status: z.enum(['ok', 'error']), dialect: z.string(), error: z.string().optional() }),
  storage: z.object({ status: z.enum(['ok', 'error']), kind: z.string(), error: z.string().optional() }),
  jobs: z.object({ runner: z.enum(['inline', 'bullmq']) }),
  needs_setup: z.boolean(),
});
export type Health = z.infer<typeof Health>;
