import { z } from 'zod';

export const JobStatus = z.enum(['queued', 'running', 'succeeded', 'failed', 'canceled']);
export type JobStatus = z.infer<typeof JobStatus>;

export const Job = z
  .object({
    id: z.string(),
    type: z.string().describe('Operation, e.g. create, edit.inpaint, upscale.fast, social.optimize.'),
    status: JobStatus,
    progress: z.number().int().min(0).max(100),
    error: z.object({ code: z.string(), message: z.string() }).nullable(),
    result: z.unknown().nullable(),
    created_at: z.string(),
    started_at: z.string().nullable(),
    finished_at: z.string().nullable(),
  })
  .meta({ id: 'Job' });
export type Job = z.infer<typeof Job>;

export const JobIdParam = z.object({ id: z.string().uuid() });

export const JobListQuery = z.object({
  status: z
    .enum(['all', 'active', ...JobStatus.options])
    .default('all')
    .describe('`active` = queued or running.'),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export type JobListQuery = z.infer<typeof JobListQuery>;

export const JobList = z.object({ jobs: z.array(Job).describe('Newest first.') }).meta({ id: 'JobList' });
export type JobList = z.infer<typeof JobList>;

/** One server-sent event on /api/jobs/{id}/events; the stream ends after a terminal status. */
export const JobEvent = z.object({
  id: z.string(),
  status: JobStatus,
  progress: z.number().int(),
  message: z.string().optional(),
});
export type JobEvent = z.infer<typeof JobEvent>;
