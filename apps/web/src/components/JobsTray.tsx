import {
  ActionIcon,
  Anchor,
  Button,
  Group,
  Indicator,
  Popover,
  Progress,
  Stack,
  Text,
  Tooltip,
} from '@mantine/core';
import { IconListCheck, IconX } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { jobs as jobsApi } from '../api/endpoints.ts';
import { isTerminal, jobStore, type TrackedJob, useJobs } from '../jobs/jobStore.ts';
import { notifyError } from './notify.tsx';

const COLOR: Record<TrackedJob['status'], string> = {
  queued: 'gray',
  running: 'violet',
  succeeded: 'teal',
  failed: 'red',
  canceled: 'gray',
};

function JobRow({ job }: { job: TrackedJob }) {
  const running = !isTerminal(job.status);
  return (
    <Stack gap={4} data-testid="job-row">
      <Group justify="space-between" wrap="nowrap" gap="xs">
        {job.href ? (
          <Anchor component={Link} to={job.href} size="sm" truncate>
            {job.label}
          </Anchor>
        ) : (
          <Text size="sm" truncate>
            {job.label}
          </Text>
        )}
        <Group gap={4} wrap="nowrap">
          <Text size="xs" c={COLOR[job.status]}>
            {job.status}
          </Text>
          {running ? (
            <Tooltip label="Cancel">
              <ActionIcon
                size="sm"
                variant="subtle"
                aria-label={`Cancel ${job.label}`}
                onClick={() =>
                  void jobsApi.cancel(job.id).catch((e: unknown) => notifyError(e, undefined, 'Not canceled'))
                }
              >
                <IconX size={14} />
              </ActionIcon>
            </Tooltip>
          ) : (
            <ActionIcon
              size="sm"
              variant="subtle"
              aria-label={`Dismiss ${job.label}`}
              onClick={() => jobStore.dismiss(job.id)}
            >
              <IconX size={14} />
            </ActionIcon>
          )}
        </Group>
      </Group>
      <Progress
        value={job.status === 'succeeded' ? 100 : job.progress}
        color={COLOR[job.status]}
        animated={running}
        aria-label={`${job.label} progress`}
      />
      {job.status === 'queued' && job.notice && (
        <Text size="xs" role="status" data-testid="job-notice">
          {job.notice}
        </Text>
      )}
      {job.message && (
        <Text size="xs" c="dimmed">
          {job.message}
        </Text>
      )}
    </Stack>
  );
}

/**
 * The header's jobs tray: one progress bar per job, live over server-sent events. Jobs still running
 * on the server (started before a reload, or in another tab) are picked up when it mounts.
 */
export function JobsTray() {
  const jobs = useJobs();
  const [opened, setOpened] = useState(false);
  useEffect(() => {
    jobsApi
      .active()
      .then((list) => jobStore.restore(list.jobs))
      // The tray still follows every job this tab starts; a failed look-up only misses older ones.
      .catch(() => undefined);
  }, []);
  const running = jobs.filter((j) => !isTerminal(j.status)).length;
  return (
    // The popover's target gets aria-haspopup/expanded, so it must be the button, not the indicator.
    <Indicator label={running} size={16} disabled={running === 0} offset={4}>
      <Popover opened={opened} onChange={setOpened} position="bottom-end" width={320} shadow="md">
        <Popover.Target>
          <ActionIcon
            variant="default"
            size="lg"
            aria-label={`Jobs${running ? ` (${running} running)` : ''}`}
            onClick={() => setOpened((o) => !o)}
          >
            <IconListCheck size={18} />
          </ActionIcon>
        </Popover.Target>
        <Popover.Dropdown>
          <Stack gap="sm">
            <Group justify="space-between">
              <Text fw={600} size="sm">
                Jobs
              </Text>
              {jobs.some((j) => isTerminal(j.status)) && (
                <Button size="compact-xs" variant="subtle" onClick={jobStore.clearFinished}>
                  Clear finished
                </Button>
              )}
            </Group>
            {jobs.length === 0 ? (
              <Text size="sm" c="dimmed">
                No jobs yet. Generations you start appear here with their progress.
              </Text>
            ) : (
              jobs.map((job) => <JobRow key={job.id} job={job} />)
            )}
          </Stack>
        </Popover.Dropdown>
      </Popover>
    </Indicator>
  );
}
