import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { jobs } from '../api/endpoints.ts';
import { type ChosenSource, release } from '../components/studio/chosenSource.ts';
import { isTerminal, jobStore, useJob } from '../jobs/jobStore.ts';

/**
 * The run a studio screen shows (`?job=` in its address): followed in the jobs tray, and once it
 * ends, the stored job with its result.
 */
export function useStudioJob(jobId: string | null, label: string, path: string) {
  const job = useJob(jobId);
  useEffect(() => {
    if (jobId) {
      jobStore.track(jobId, label, `${path}?job=${jobId}`);
    }
  }, [jobId, label, path]);
  const finished = job !== undefined && isTerminal(job.status);
  const final = useQuery({
    queryKey: ['job', jobId],
    queryFn: () => jobs.get(jobId ?? ''),
    enabled: jobId !== null && finished,
  });
  const done = job?.status === 'succeeded' ? final.data : undefined;
  // A studio job's result is typed by its job type (edit, upscale and control save one image).
  const result =
    done?.type === 'edit' || done?.type === 'upscale' || done?.type === 'control' ? done.result : null;
  return { job, finished, final, result };
}

/** Leaving the screen releases the last chosen file's preview. */
export function useReleaseOnLeave(chosen: ChosenSource | null): void {
  const chosenRef = useRef(chosen);
  useEffect(() => {
    chosenRef.current = chosen;
  }, [chosen]);
  useEffect(() => () => release(chosenRef.current), []);
}
