import { Alert } from '@mantine/core';
import { messageOf } from '../../api/errors.ts';
import type { useStudioJob } from '../../hooks/useStudioJob.ts';

/**
 * How a studio run ended when there is no result to show: failed (the server's message), canceled
 * (nothing saved or charged), or finished but its stored result could not be read.
 * `noun` names the run ("edit", "upscale"); `testId` prefixes the alerts' test ids.
 */
export function JobOutcome({
  run,
  noun,
  testId,
}: {
  run: ReturnType<typeof useStudioJob>;
  noun: string;
  testId: string;
}) {
  const { job, final, result } = run;
  if (job?.status === 'failed') {
    return (
      <Alert color="red" title={`The ${noun} failed`} data-testid={`${testId}-failed`}>
        {final.data?.error?.message ?? job.message ?? 'The job failed.'}
      </Alert>
    );
  }
  if (job?.status === 'canceled') {
    return (
      <Alert color="gray" title="Canceled" data-testid={`${testId}-canceled`}>
        The {noun} was canceled: nothing was saved and nothing was charged.
      </Alert>
    );
  }
  if (job?.status === 'succeeded' && !result && final.isError) {
    return <Alert color="red">{messageOf(final.error)}</Alert>;
  }
  return null;
}
