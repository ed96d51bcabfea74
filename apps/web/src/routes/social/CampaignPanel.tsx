import { Alert, Badge, Button, Card, FileButton, Group, Image, Stack, Text } from '@mantine/core';
import { IconFileZip, IconLibraryPhoto, IconPhotoUp, IconTrash } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { type Asset, assetUrls } from '../../api/endpoints.ts';
import { messageOf } from '../../api/errors.ts';
import { type SocialCampaignOptions, social } from '../../api/social.ts';
import { DropZone } from '../../components/studio/DropZone.tsx';
import { JobOutcome } from '../../components/studio/JobOutcome.tsx';
import { JobProgress } from '../../components/studio/JobProgress.tsx';
import { LibraryPicker } from '../../components/studio/LibraryPicker.tsx';
import { useStudioJob } from '../../hooks/useStudioJob.ts';

interface CampaignSource {
  key: string;
  name: string;
  /** An object URL of the file, or the asset's thumbnail. */
  url: string;
  file?: File;
  assetId?: number;
}

type SourceState = 'waiting' | 'working' | 'done';

/**
 * Where each source stands, from the job's latest step ("source 2 of 3: …", "source 2 of 3 done: …",
 * "saving"); sources are numbered in the order they were sent.
 */
function statesOf(count: number, status: string | undefined, message: string | undefined): SourceState[] {
  if (status === 'succeeded' || message === 'saving') {
    return Array<SourceState>(count).fill('done');
  }
  const step = /^source (\d+) of \d+( done)?:/.exec(message ?? '');
  const current = step ? Number(step[1]) : 0;
  const done = step?.[2] ? current : Math.max(0, current - 1);
  return Array.from({ length: count }, (_, i) =>
    i < done ? 'done' : i === done && status === 'running' ? 'working' : 'waiting',
  );
}

const STATE_COLOR: Record<SourceState, string> = { waiting: 'gray', working: 'blue', done: 'green' };

/**
 * A campaign: several images through the formats and options chosen above, as one background job
 * with progress per image, downloaded as one ZIP with a folder per image.
 */
export function CampaignPanel({
  options,
  formatCount,
}: {
  /** Null while no format is chosen. */
  options: SocialCampaignOptions | null;
  formatCount: number;
}) {
  const [sources, setSources] = useState<CampaignSource[]>([]);
  const [picking, setPicking] = useState(false);
  const [jobId, setJobId] = useState<string | null>(null);
  const run = useStudioJob(jobId, `Social campaign: ${sources.length} images`, '/social');
  const { job, final } = run;
  const result = final.data?.type === 'social' ? final.data.result : null;
  // The server takes the files first, then the library images: shown in that order.
  const ordered = [...sources.filter((s) => s.file), ...sources.filter((s) => s.assetId !== undefined)];
  const states = statesOf(ordered.length, job?.status, job?.message);

  const sourcesRef = useRef(sources);
  useEffect(() => {
    sourcesRef.current = sources;
  }, [sources]);
  useEffect(
    () => () => {
      for (const s of sourcesRef.current) {
        if (s.file) URL.revokeObjectURL(s.url);
      }
    },
    [],
  );

  const addFile = (file: File) => {
    setJobId(null);
    setSources((list) => [
      ...list,
      { key: `f${Date.now()}-${list.length}`, name: file.name, url: URL.createObjectURL(file), file },
    ]);
  };
  const addAsset = (asset: Asset) => {
    setJobId(null);
    setSources((list) =>
      list.some((s) => s.assetId === asset.id)
        ? list
        : [
            ...list,
            {
              key: `a${asset.id}`,
              name: asset.title ?? `Asset ${asset.id}`,
              url: assetUrls.thumbnail(asset.id, 'small'),
              assetId: asset.id,
            },
          ],
    );
  };
  const remove = (key: string) =>
    setSources((list) => {
      const gone = list.find((s) => s.key === key);
      if (gone?.file) URL.revokeObjectURL(gone.url);
      return list.filter((s) => s.key !== key);
    });

  const start = useMutation({
    mutationFn: () =>
      social.campaign(
        ordered.flatMap((s) => (s.file ? [s.file] : [])),
        ordered.flatMap((s) => (s.assetId !== undefined ? [s.assetId] : [])),
        options ?? { platforms: [] },
      ),
    meta: { silent: true },
    onSuccess: (accepted) => setJobId(accepted.job_id),
  });
  const running = job !== undefined && !run.finished;

  return (
    <Card withBorder data-testid="campaign">
      <Stack gap="sm">
        <div>
          <Text fw={600}>Campaign: the same formats for several images</Text>
          <Text size="sm" c="dimmed">
            Add images; each gets every format chosen above, in one ZIP with a folder per image.
          </Text>
        </div>
        <DropZone onFile={addFile} multiple testId="campaign-dropzone" disabled={running}>
          <Group justify="center" gap="sm" p="md">
            <IconPhotoUp size={24} aria-hidden />
            <Text size="sm">Drop images here, or</Text>
            <FileButton
              onChange={(files) => files.forEach(addFile)}
              accept="image/*"
              multiple
              disabled={running}
            >
              {(props) => (
                <Button {...props} size="compact-sm" variant="light" data-testid="campaign-add-files">
                  Choose files
                </Button>
              )}
            </FileButton>
            <Button
              size="compact-sm"
              variant="light"
              leftSection={<IconLibraryPhoto size={14} />}
              onClick={() => setPicking(true)}
              disabled={running}
            >
              From library
            </Button>
          </Group>
        </DropZone>
        {ordered.length > 0 && (
          <Stack gap={6} data-testid="campaign-sources">
            {ordered.map((s, i) => (
              <Group key={s.key} gap="sm" wrap="nowrap" data-testid="campaign-source" data-state={states[i]}>
                <Image src={s.url} alt={s.name} w={56} h={56} fit="cover" radius="sm" />
                <Text size="sm" style={{ flex: 1 }} truncate>
                  {s.name}
                </Text>
                <Badge color={STATE_COLOR[states[i] ?? 'waiting']} variant="light">
                  {states[i]}
                </Badge>
                <Button
                  size="compact-sm"
                  variant="subtle"
                  color="red"
                  aria-label={`Remove ${s.name}`}
                  onClick={() => remove(s.key)}
                  disabled={running}
                >
                  <IconTrash size={14} />
                </Button>
              </Group>
            ))}
          </Stack>
        )}
        <Group justify="space-between">
          <Text size="sm" c="dimmed">
            {ordered.length} image{ordered.length === 1 ? '' : 's'} × {formatCount} format
            {formatCount === 1 ? '' : 's'}
          </Text>
          <Button
            onClick={() => start.mutate()}
            loading={start.isPending}
            disabled={ordered.length === 0 || options === null || running}
            data-testid="campaign-run"
          >
            Export {ordered.length} image{ordered.length === 1 ? '' : 's'}
          </Button>
        </Group>
        {start.isError && (
          <Alert color="red" title="The campaign could not start" data-testid="campaign-error">
            {messageOf(start.error)}
          </Alert>
        )}
        {running && job && <JobProgress job={job} doing="Exporting the campaign" />}
        <JobOutcome run={run} noun="campaign" testId="campaign" />
        {result && (
          <Group justify="space-between">
            <Text size="sm">
              {result.total_optimized} files for {result.sources.length} images.
            </Text>
            <Button
              component="a"
              href={result.zip_url}
              download
              leftSection={<IconFileZip size={16} />}
              data-testid="campaign-zip"
            >
              Download ZIP
            </Button>
          </Group>
        )}
      </Stack>
      <LibraryPicker
        opened={picking}
        onClose={() => setPicking(false)}
        onPick={(asset) => {
          setPicking(false);
          addAsset(asset);
        }}
      />
    </Card>
  );
}
