import { z } from 'zod';
import type { LocalModel } from './rules/module-models.ts';

const Check = z.object({ status: z.enum(['ok', 'error']), error: z.string().optional() });

export const Health = z
  .object({
    status: z.enum(['healthy', 'degraded']),
    service: z.literal('image_studio'),
    needs_setup: z.boolean(),
    version: z.string().optional(),
    modules: z
      .record(z.string(), z.enum(['available', 'degraded', 'unavailable']))
      .optional()
      .describe(
        'available: every way of working is there; degraded: one is gone (e.g. Edit without its ' +
          'background-removal model still fills and recolors); unavailable: the job queue does not answer.',
      ),
    local_models: z
      .object({
        isnet: Check,
        esrgan: Check,
        detector: Check,
        ocr: Check,
        layout_fonts: Check,
      } satisfies Record<LocalModel, typeof Check>)
      .optional()
      .describe("The offline models' files, present and whole (checked by size, cached for a minute)."),
    providers: z
      .record(z.string(), z.object({ configured: z.boolean() }))
      .optional()
      .describe('Whether the server holds a key for each cloud provider; users may add their own.'),
    database: Check.extend({ dialect: z.string() }).optional(),
    storage: Check.extend({ kind: z.string() }).optional(),
    jobs: z
      .object({
        runner: z.enum(['inline', 'bullmq']),
        queue: Check.optional().describe("BullMQ's Redis answering a PING; absent without Redis."),
      })
      .optional(),
  })
  .describe(
    'Anonymous callers get only status, service and needs_setup; the details need a session or token.',
  );
export type Health = z.infer<typeof Health>;
