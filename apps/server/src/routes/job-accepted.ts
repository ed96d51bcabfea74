/** The 202 answer of every route that can run its work as a background job (`async: true`). */
export const jobAccepted = (jobId: string, status: string) => ({
  success: true as const,
  job_id: jobId,
  status,
  status_url: `/api/jobs/${jobId}`,
  events_url: `/api/jobs/${jobId}/events`,
});
