import { Alert, Button, Card, Group, Progress, Stack, Text } from '@mantine/core';
import { IconPlayerStop } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { jobs } from '../../api/endpoints.ts';
import { codeOf, messageOf } from '../../api/errors.ts';
import type { TrackedJob } from '../../jobs/jobStore.ts';

/**
 * A running studio job: the server's step and percentage, and a cancel that says when it is too
 * late. `doing` names the work ("Upscaling", "Editing").
 */
export function JobProgress({ job, doing }: { job: TrackedJob; doing: string }) {
  const cancel = useMutation({
    mutationFn: () => jobs.cancel(job.id),
    // Answered here: a job already saving its result says so; anything else is shown below too.
    meta: { silent: true },
  });
  const finishing = codeOf(cancel.error) === 'job_finishing';
  return (
    <Card withBorder data-testid="job-progress">
      <Stack gap="xs">
        <Group justify="space-between" wrap="nowrap">
          <Text size="sm" aria-live="polite">
            {job.status === 'queued' ? 'Waiting for a free worker…' : `${doing}…`}{' '}
            <Text span c="dimmed" data-testid="job-step">
              {job.message ?? ''}
            </Text>
          </Text>
          <Button
            size="compact-sm"
            variant="light"
            color="red"
            leftSection={<IconPlayerStop size={14} />}
            onClick={() => cancel.mutate()}
            loading={cancel.isPending}
            disabled={finishing || cancel.isSuccess}
          >
            Cancel
          </Button>
        </Group>
        <Progress value={job.progress} animated aria-label={`${doing} progress`} />
        {cancel.isError && (
          <Alert color={finishing ? 'yellow' : 'red'} p="xs" data-testid="job-cancel-error">
            {finishing
              ? 'Too late to cancel: the result is being saved.'
              : `Could not cancel: ${messageOf(cancel.error)}`}
          </Alert>
        )}
      </Stack>
    </Card>
  );
}
