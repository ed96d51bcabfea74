import { Alert, Button, Card, Grid, Stack, Text, Title } from '@mantine/core';
import { IconArrowsMaximize } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { isUnauthorized, messageOf } from '../../api/errors.ts';
import { fieldErrors } from '../../api/fieldErrors.ts';
import { type UpscaleOptions, type UpscaleSource, upscale } from '../../api/upscale.ts';
import { type ChosenSource, fromAsset, fromFile, release } from '../../components/studio/chosenSource.ts';
import { JobOutcome } from '../../components/studio/JobOutcome.tsx';
import { JobProgress } from '../../components/studio/JobProgress.tsx';
import { SourceCard } from '../../components/studio/SourceCard.tsx';
import { creditsKey } from '../../hooks/useCredits.ts';
import { libraryKey, useAsset } from '../../hooks/useLibrary.ts';
import { useProviders } from '../../hooks/useProviders.ts';
import { useReleaseOnLeave, useStudioJob } from '../../hooks/useStudioJob.ts';
import { jobStore } from '../../jobs/jobStore.ts';
import { CostLine } from './CostLine.tsx';
import { ModeCard, type ModeState } from './ModeCard.tsx';
import { ResultPanel } from './ResultPanel.tsx';
import { TargetCard } from './TargetCard.tsx';
import { outputSize, plan, type TargetState, targetFields } from './upscaleOptions.ts';

/** The server's message, with the field messages of a validation failure when it has them. */
function refusal(error: unknown): string {
  const fields = Object.values(fieldErrors(error));
  return fields.length > 0 ? `${messageOf(error)} ${fields.join(' ')}` : messageOf(error);
}

export default function UpscalePage() {
  const client = useQueryClient();
  const providers = useProviders();
  const [chosen, setChosen] = useState<ChosenSource | null>(null);
  const [target, setTarget] = useState<TargetState>({ choice: '4x', width: null, height: null });
  const [mode, setMode] = useState<ModeState>({ mode: 'auto', prompt: '', creativity: 0.35 });
  const resultsRef = useRef<HTMLDivElement>(null);

  // The run being shown lives in the URL (?job=), so a reload or the jobs tray brings it back;
  // "Send to → Upscale" names a library asset (?asset=).
  const [params, setParams] = useSearchParams();
  const jobId = params.get('job');
  const linkedId = Number(params.get('asset'));
  const linked = useAsset(Number.isInteger(linkedId) && linkedId > 0 ? linkedId : null);
  const [usedLink, setUsedLink] = useState<number | null>(null);
  if (linked.data && usedLink !== linked.data.id) {
    setUsedLink(linked.data.id);
    setChosen(fromAsset(linked.data));
  }

  const replace = (next: ChosenSource | null) => {
    release(chosen);
    setChosen(next);
  };
  useReleaseOnLeave(chosen);

  const studioJob = useStudioJob(jobId, 'Upscale', '/upscale');
  const { job, finished, result } = studioJob;

  // After a reload the result names its input: show it as the source again.
  const [restored, setRestored] = useState<number | null>(null);
  const input = useAsset(
    result && !chosen && restored !== result.input_asset_id ? result.input_asset_id : null,
  );
  if (input.data && result && restored !== result.input_asset_id) {
    setRestored(result.input_asset_id);
    setChosen(fromAsset(input.data));
  }

  // When a run ends, the library and the balance have changed.
  const [settled, setSettled] = useState<string | null>(null);
  if (finished && jobId && settled !== jobId) {
    setSettled(jobId);
    void client.invalidateQueries({ queryKey: libraryKey });
    void client.invalidateQueries({ queryKey: creditsKey });
    void client.invalidateQueries({ queryKey: ['estimate'] });
  }

  const start = useMutation({
    mutationFn: (v: { source: UpscaleSource; options: UpscaleOptions; name: string }) =>
      upscale.start(v.source, v.options),
    // A refused target or file is shown beside the button; a retry would be refused again.
    meta: { silent: true },
    onSuccess: (accepted, v) => {
      jobStore.track(accepted.job_id, `Upscale: ${v.name.slice(0, 40)}`, `/upscale?job=${accepted.job_id}`);
      setParams({ job: accepted.job_id });
      resultsRef.current?.scrollIntoView({ behavior: 'smooth', block: 'start' });
    },
  });

  // A refusal is about the choices it was given; changing one clears it.
  const edit =
    <T,>(set: (value: T) => void) =>
    (value: T) => {
      start.reset();
      set(value);
    };

  const stabilityEntry = providers.data?.providers.find((p) => p.id === 'stability');
  const stability = (m: string) =>
    stabilityEntry?.available === true &&
    stabilityEntry.healthy &&
    stabilityEntry.capabilities.includes(`upscale.${m}`);
  const source = chosen?.width && chosen.height ? { width: chosen.width, height: chosen.height } : null;
  const output = outputSize(source, target);
  const chosenPlan = plan(mode.mode, source, output, stability);
  const running = job !== undefined && !finished;

  const blocker = !chosen
    ? 'Choose an image first.'
    : target.choice === 'exact' && !target.width && !target.height
      ? 'Enter a width, a height or both.'
      : !output && target.choice !== 'exact'
        ? 'Reading the image size…'
        : mode.mode === 'creative' && !stability('creative')
          ? 'Creative upscaling needs a Stability key.'
          : null;

  const run = () => {
    if (!chosen || blocker || start.isPending || running) {
      return;
    }
    const creative = mode.mode === 'creative';
    start.mutate({
      source: chosen.source,
      name: chosen.name,
      options: {
        mode: mode.mode,
        ...targetFields(source, target),
        ...(creative ? { prompt: mode.prompt.trim() || null, creativity: mode.creativity } : {}),
      },
    });
  };

  return (
    <Stack>
      <div>
        <Title order={1}>Upscale</Title>
        <Text c="dimmed">
          Enlarge an image to a preset, 2×, 4× or an exact size. Local models run free on this server;
          Stability modes need a key.
        </Text>
      </div>
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack>
            <SourceCard
              title="1. Image"
              testId="upscale"
              chosen={chosen}
              onFile={(file) => edit(replace)(fromFile(file))}
              onAsset={(asset) => edit(replace)(fromAsset(asset))}
              onClear={() => edit(replace)(null)}
              onSize={(size) => setChosen((c) => (c && c.width === null ? { ...c, ...size } : c))}
              disabled={start.isPending}
            />
            <TargetCard value={target} onChange={edit(setTarget)} source={source} output={output} />
            <ModeCard
              value={mode}
              onChange={edit(setMode)}
              hasStability={stability('creative')}
              plan={chosenPlan}
            />
            <Card withBorder>
              <Stack gap="sm">
                <CostLine plan={chosenPlan} output={output} />
                {start.isError && !isUnauthorized(start.error) && (
                  <Alert color="red" title="The upscale was refused" data-testid="upscale-error">
                    {refusal(start.error)}
                  </Alert>
                )}
                {blocker && (
                  <Text size="sm" c="dimmed">
                    {blocker}
                  </Text>
                )}
                <Button
                  size="md"
                  leftSection={<IconArrowsMaximize size={18} />}
                  onClick={run}
                  loading={start.isPending || running}
                  disabled={blocker !== null}
                >
                  {output ? `Upscale to ${output.width}×${output.height}` : 'Upscale'}
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
            {running && <JobProgress job={job} doing="Upscaling" />}
            <JobOutcome run={studioJob} noun="upscale" testId="upscale" />
            {result && <ResultPanel key={result.asset_id} result={result} />}
            {!job && (
              <Card withBorder py="xl">
                <Stack align="center" gap="xs">
                  <IconArrowsMaximize size={40} aria-hidden />
                  <Text c="dimmed" ta="center">
                    The upscaled image appears here beside the original. It is saved to your library.
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
