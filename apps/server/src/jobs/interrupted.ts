import type { JobRepository } from './job.repository.ts';
import type { JobEventBus } from './job-events.ts';

const MESSAGE = 'The server stopped while this job was running. Nothing was charged; run it again.';

/** Fails a job whose run died (queued or running) with `interrupted`; false when it had already ended. */
export async function markInterrupted(
  repo: JobRepository,
  events: JobEventBus,
  jobId: string,
  now: string,
): Promise<boolean> {
  const done = await repo.finish(
    jobId,
    ['running', 'queued'],
    { status: 'failed', error_code: 'interrupted', error_message: MESSAGE },
    now,
  );
  if (done) {
    await events.publish({ id: jobId, status: 'failed', progress: 0, message: MESSAGE });
  }
  return done;
}
