import { z } from 'zod';
import { ControlJobInput } from './control.ts';
import { CreateJobInput, CreateJobResult } from './create.ts';
import { EditJobInput, StudioJobResult } from './edit.ts';
import { waitingFields } from './job-waiting.ts';
import { SocialCampaignJobInput, SocialCampaignJobResult } from './social-campaign.ts';
import { UpscaleJobInput } from './upscale.ts';

export const JobStatus = z.enum(['queued', 'running', 'succeeded', 'failed', 'canceled']);
export type JobStatus = z.infer<typeof JobStatus>;

/** The product's job types; each has one input schema (checked before a job runs) and one result. */
export const JOB_INPUTS = {
  create: CreateJobInput,
  edit: EditJobInput,
  upscale: UpscaleJobInput,
  control: ControlJobInput,
  social: SocialCampaignJobInput,
} as const;
export const JOB_RESULTS = {
  create: CreateJobResult,
  edit: StudioJobResult,
  upscale: StudioJobResult,
  control: StudioJobResult,
  social: SocialCampaignJobResult,
} as const;
export const JobType = z.enum(['create', 'edit', 'upscale', 'control', 'social']);
export type JobType = z.infer<typeof JobType>;
export type JobInput<T extends JobType> = z.infer<(typeof JOB_INPUTS)[T]>;
export type JobResult<T extends JobType> = z.infer<(typeof JOB_RESULTS)[T]>;

const jobFields = {
  id: z.string(),
  status: JobStatus,
  progress: z.number().int().min(0).max(100),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  created_at: z.string(),
  started_at: z.string().nullable(),
  finished_at: z.string().nullable(),
  ...waitingFields,
};

const jobOf = <T extends JobType>(type: T) =>
  z.object({
    ...jobFields,
    type: z.literal(type),
    result: JOB_RESULTS[type].nullable().describe('Set once the job succeeded.'),
  });

/**
 * A job as the API shows it, its result typed by its type. Types with a dot (`test.echo`) are jobs
 * a test or an extension registers; their result is whatever their handler returned.
 */
export const Job = z
  .union([
    jobOf('create'),
    jobOf('edit'),
    jobOf('upscale'),
    jobOf('control'),
    jobOf('social'),
    z.object({
      ...jobFields,
      type: z.templateLiteral([z.string(), '.', z.string()]),
      result: z.unknown().nullable(),
    }),
  ])
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
