import type { WorkerWait } from '../jobs/job.service.ts';

/**
 * The 202 answer of every route that can run its work as a background job (`async: true`), saying
 * when no worker takes the job's kind now (JobService.waiting).
 */
export const jobAccepted = (jobId: string, status: string, wait: WorkerWait) => ({
  success: true as const,
  job_id: jobId,
  status,
  status_url: `/api/jobs/${jobId}`,
  events_url: `/api/jobs/${jobId}/events`,
  ...wait,
});
