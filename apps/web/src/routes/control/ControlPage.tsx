import { Alert, Anchor, Badge, Button, Card, Grid, Stack, Text, Title } from '@mantine/core';
import { IconAdjustmentsHorizontal } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { type ControlFields, type ControlOperation, control } from '../../api/control.ts';
import { isUnauthorized, messageOf } from '../../api/errors.ts';
import { fieldErrors } from '../../api/fieldErrors.ts';
import type { ImageUpload } from '../../api/studio.ts';
import { CostEstimateCard } from '../../components/studio/CostEstimateCard.tsx';
import { type ChosenSource, fromAsset, fromFile, release } from '../../components/studio/chosenSource.ts';
import { JobOutcome } from '../../components/studio/JobOutcome.tsx';
import { JobProgress } from '../../components/studio/JobProgress.tsx';
import { SourceCard } from '../../components/studio/SourceCard.tsx';
import { StudioResult } from '../../components/studio/StudioResult.tsx';
import { useLinkedAsset } from '../../components/studio/useLinkedAsset.ts';
import { creditsKey } from '../../hooks/useCredits.ts';
import { libraryKey, useAsset } from '../../hooks/useLibrary.ts';
import { useProviders } from '../../hooks/useProviders.ts';
import { useReleaseOnLeave, useStudioJob } from '../../hooks/useStudioJob.ts';
import { jobStore } from '../../jobs/jobStore.ts';
import { ControlSettings } from './ControlSettings.tsx';
import { type ControlState, controlFields, keyNeed } from './controlOptions.ts';
import { OperationCards } from './OperationCards.tsx';

const INITIAL: ControlState = {
  prompt: '',
  negative: '',
  sliders: {},
  aspect: null,
  seed: null,
  format: 'png',
};

export default function ControlPage() {
  const client = useQueryClient();
  const providers = useProviders();
  const operations = useQuery({ queryKey: ['control-operations'], queryFn: control.operations });
  const [operation, setOperation] = useState<ControlOperation>('sketch');
  const [chosen, setChosen] = useState<ChosenSource | null>(null);
  const [style, setStyle] = useState<ChosenSource | null>(null);
  const [settings, setSettings] = useState<ControlState>(INITIAL);
  const resultsRef = useRef<HTMLDivElement>(null);
  const [params, setParams] = useSearchParams();
  const jobId = params.get('job');

  const replace = (next: ChosenSource | null) => {
    release(chosen);
    setChosen(next);
  };
  const replaceStyle = (next: ChosenSource | null) => {
    release(style);
    setStyle(next);
  };
  useReleaseOnLeave(chosen);
  useReleaseOnLeave(style);
  useLinkedAsset((asset) => replace(fromAsset(asset)));

  const studioJob = useStudioJob(jobId, 'Control', '/control');
  const { job, finished, result } = studioJob;

  // After a reload the result names its input: show it as the control image again.
  const [restored, setRestored] = useState<number | null>(null);
  const input = useAsset(
    result && !chosen && restored !== result.input_asset_id ? result.input_asset_id : null,
  );
  if (input.data && result && restored !== result.input_asset_id) {
    setRestored(result.input_asset_id);
    setChosen(fromAsset(input.data));
  }

  const [settled, setSettled] = useState<string | null>(null);
  if (finished && jobId && settled !== jobId) {
    setSettled(jobId);
    void client.invalidateQueries({ queryKey: libraryKey });
    void client.invalidateQueries({ queryKey: creditsKey });
    void client.invalidateQueries({ queryKey: ['estimate'] });
  }

  const start = useMutation({
    mutationFn: (v: { source: ImageUpload; style: ImageUpload | null; fields: ControlFields }) =>
      control.start(v.source, v.style, v.fields),
    // A refusal is shown beside the button with the server's message; a retry would be refused again.
    meta: { silent: true },
    onSuccess: (accepted, v) => {
      jobStore.track(
        accepted.job_id,
        `Control: ${v.fields.prompt.slice(0, 40)}`,
        `/control?job=${accepted.job_id}`,
      );
      setParams({ job: accepted.job_id });
      resultsRef.current?.scrollIntoView({ behavior: 'smooth', block: 'start' });
    },
  });
  const edit =
    <T,>(set: (value: T) => void) =>
    (value: T) => {
      start.reset();
      set(value);
    };

  const info = operations.data?.operations[operation];
  const label = (id: string) => providers.data?.providers.find((p) => p.id === id)?.label ?? id;
  const need = info ? keyNeed(info, label) : null;
  const needsStyle = info?.fields.style_image === true;
  const running = job !== undefined && !finished;
  const blocker = !info
    ? 'Loading the operations…'
    : need
      ? `${need}.`
      : !chosen
        ? needsStyle
          ? 'Choose the initial image.'
          : 'Choose a control image.'
        : needsStyle && !style
          ? 'Choose a style image.'
          : !settings.prompt.trim()
            ? 'Describe the image you want.'
            : null;

  const run = () => {
    if (!info || !chosen || blocker || start.isPending || running) {
      return;
    }
    start.mutate({
      source: chosen.source,
      style: needsStyle && style ? style.source : null,
      fields: controlFields(operation, info, settings),
    });
  };
  const errors = fieldErrors(start.error);
  const refusal = [messageOf(start.error), ...Object.values(errors)].join(' ');

  return (
    <Stack>
      <div>
        <Title order={1}>Control</Title>
        <Text c="dimmed">
          Generate guided by a sketch, the structure of a photo or a style reference, or move the style of one
          image onto another. Runs at Stability AI.
        </Text>
      </div>
      {need && (
        <Alert color="orange" title={need} data-testid="control-key-needed">
          Every control operation runs at Stability AI. Add the key in{' '}
          <Anchor component={Link} to="/settings">
            Settings → Provider keys
          </Anchor>
          .
        </Alert>
      )}
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack>
            <OperationCards
              value={operation}
              onChange={edit(setOperation)}
              operations={operations.data?.operations}
              error={operations.isError ? messageOf(operations.error) : null}
            />
            <SourceCard
              title={needsStyle ? '2. Initial image' : '2. Control image'}
              testId="control"
              chosen={chosen}
              onFile={(file) => edit(replace)(fromFile(file))}
              onAsset={(asset) => edit(replace)(fromAsset(asset))}
              onClear={() => edit(replace)(null)}
              onSize={(size) => setChosen((c) => (c && c.width === null ? { ...c, ...size } : c))}
              disabled={start.isPending}
              hint={operation === 'sketch' ? 'Drop a sketch here' : 'Drop an image here'}
            />
            {needsStyle && (
              <SourceCard
                title="Style image"
                testId="control-style"
                chosen={style}
                onFile={(file) => edit(replaceStyle)(fromFile(file))}
                onAsset={(asset) => edit(replaceStyle)(fromAsset(asset))}
                onClear={() => edit(replaceStyle)(null)}
                onSize={(size) => setStyle((c) => (c && c.width === null ? { ...c, ...size } : c))}
                disabled={start.isPending}
                hint="Drop the image whose style to apply"
              />
            )}
            {info && (
              <ControlSettings
                info={info}
                value={settings}
                onChange={edit(setSettings)}
                promptError={errors.prompt}
              />
            )}
            {/* Without a key the server cannot price the run (409); the alert above says what is missing. */}
            {info && !need && (
              <CostEstimateCard
                input={{ provider: 'auto', operation: `control.${operation}`, num_images: 1 }}
              />
            )}
            <Card withBorder>
              <Stack gap="sm">
                {start.isError && !isUnauthorized(start.error) && (
                  <Alert color="red" title="The run was refused" data-testid="control-error">
                    {refusal}
                  </Alert>
                )}
                {blocker && (
                  <Text size="sm" c="dimmed" data-testid="control-blocker">
                    {blocker}
                  </Text>
                )}
                <Button
                  size="md"
                  leftSection={<IconAdjustmentsHorizontal size={18} />}
                  onClick={run}
                  loading={start.isPending || running}
                  disabled={blocker !== null}
                >
                  Run {info?.label ?? 'control'}
                </Button>
              </Stack>
            </Card>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack ref={resultsRef}>
            <Title order={2} size="h3">
              Result
            </Title>
            {running && <JobProgress job={job} doing="Generating" />}
            <JobOutcome run={studioJob} noun="run" testId="control" />
            {result && (
              <StudioResult
                key={result.asset_id}
                result={result}
                testId="control"
                afterLabel="generated"
                badges={
                  <>
                    <Badge variant="light">
                      {operations.data?.operations[result.operation]?.label ?? result.operation}
                    </Badge>
                    {typeof result.metadata.seed === 'number' && (
                      <Badge variant="default" data-testid="control-seed">
                        seed {result.metadata.seed}
                      </Badge>
                    )}
                  </>
                }
              >
                <Text size="sm" c="dimmed">
                  Saved to your library with the control image as its parent.
                </Text>
              </StudioResult>
            )}
            {!job && (
              <Card withBorder py="xl">
                <Stack align="center" gap="xs">
                  <IconAdjustmentsHorizontal size={40} aria-hidden />
                  <Text c="dimmed" ta="center">
                    The result appears here beside the control image. It is saved to your library.
                  </Text>
                </Stack>
              </Card>
            )}
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
