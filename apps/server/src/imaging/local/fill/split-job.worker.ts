import { parentPort } from 'node:worker_threads';
import { type FillJob, runFillJob } from './fill-jobs.ts';

/** The second thread of a large fill: runs its half of each step over shared memory. */
interface Request {
  id: number;
  job: FillJob;
}

parentPort?.on('message', ({ id, job }: Request) => {
  try {
    runFillJob(job);
    parentPort?.postMessage({ id, ok: true });
  } catch (e) {
    parentPort?.postMessage({ id, ok: false, message: e instanceof Error ? e.message : String(e) });
  }
});
