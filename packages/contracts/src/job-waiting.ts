import { z } from 'zod';

/** Set on a queued job when no worker takes its kind of job now (ROLE=api processes, workers all gone). */
export const waitingFields = {
  waiting_for_worker: z
    .boolean()
    .describe('True while the job is queued and no worker that runs its kind of job is connected.'),
  notice: z.string().nullable().describe('Why a queued job is not starting, for the user; else null.'),
};
