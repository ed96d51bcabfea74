import { Button, Card, Grid, Stack, Text, Title } from '@mantine/core';
import { IconBrush } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { type EditFields, type EditOperation, type EditSource, edit } from '../../api/edit.ts';
import { type Asset, assetUrls } from '../../api/endpoints.ts';
import { isUnauthorized, messageOf } from '../../api/errors.ts';
import { notifyError } from '../../components/notify.tsx';
import { type ChosenSource, fromFile, release } from '../../components/studio/chosenSource.ts';
import { JobOutcome } from '../../components/studio/JobOutcome.tsx';
import { JobProgress } from '../../components/studio/JobProgress.tsx';
import { SourceCard } from '../../components/studio/SourceCard.tsx';
import { useLinkedAsset } from '../../components/studio/useLinkedAsset.ts';
import { creditsKey } from '../../hooks/useCredits.ts';
import { libraryKey, useAsset } from '../../hooks/useLibrary.ts';
import { useProviders } from '../../hooks/useProviders.ts';
import { useReleaseOnLeave, useStudioJob } from '../../hooks/useStudioJob.ts';
import { jobStore } from '../../jobs/jobStore.ts';
import { EditCost } from './EditCost.tsx';
import { EditResult } from './EditResult.tsx';
import { EditStage } from './EditStage.tsx';
import { backgroundOf, DEFAULT_FIELDS, type FieldState, needsMask, planRun } from './editFields.ts';
import { EDIT_OPERATIONS_KEY, useEditShortcuts } from './editHooks.ts';
import { GUIDES, keyNeed, priceOf } from './editOptions.ts';
import type { Brush } from './MaskEditor.tsx';
import { MaskTools } from './MaskTools.tsx';
import { addStroke, clearMask, EMPTY_MASK, hasPaint, invertMask, redo, undo } from './maskHistory.ts';
import { maskPng } from './maskPng.ts';
import { OperationFields } from './OperationFields.tsx';
import { OperationPicker } from './OperationPicker.tsx';

/** The library asset as a source, shown at full resolution so the mask lines up pixel for pixel. */
const fromAsset = (asset: Asset): ChosenSource => ({
  source: { kind: 'asset', assetId: asset.id },
  url: assetUrls.file(asset.id),
  name: asset.title ?? asset.prompt ?? `Asset ${asset.id}`,
  width: asset.width,
  height: asset.height,
});

export default function EditPage() {
  const client = useQueryClient();
  const providers = useProviders();
  const operations = useQuery({ queryKey: EDIT_OPERATIONS_KEY, queryFn: edit.operations });
  const [chosen, setChosen] = useState<ChosenSource | null>(null);
  const [op, setOp] = useState<EditOperation>('erase');
  const [fields, setFields] = useState<FieldState>(DEFAULT_FIELDS);
  const [mask, setMask] = useState(EMPTY_MASK);
  const [brush, setBrush] = useState<Brush>({ size: 40, hardness: 0.8, erase: false, opacity: 0.55 });
  const resultsRef = useRef<HTMLDivElement>(null);

  // The run being shown lives in the URL (?job=), so a reload or the jobs tray brings it back.
  const [params, setParams] = useSearchParams();
  const jobId = params.get('job');

  const replace = (next: ChosenSource | null) => {
    release(chosen);
    setChosen(next);
    setMask(EMPTY_MASK);
  };
  useReleaseOnLeave(chosen);
  useLinkedAsset((asset) => replace(fromAsset(asset)));

  const studioJob = useStudioJob(jobId, 'Edit', '/edit');
  const { job, finished, result } = studioJob;

  // After a reload the result names its input and operation: show them again.
  const [restored, setRestored] = useState<number | null>(null);
  const input = useAsset(
    result && !chosen && restored !== result.input_asset_id ? result.input_asset_id : null,
  );
  if (input.data && result && restored !== result.input_asset_id) {
    setRestored(result.input_asset_id);
    setChosen(fromAsset(input.data));
    const ran = result.operation.replace(/^edit\./, '');
    if (ran in GUIDES) {
      setOp(ran as EditOperation);
    }
  }

  // When a run ends, the library and the balance have changed.
  const [settled, setSettled] = useState<string | null>(null);
  if (finished && jobId && settled !== jobId) {
    setSettled(jobId);
    void client.invalidateQueries({ queryKey: libraryKey });
    void client.invalidateQueries({ queryKey: creditsKey });
  }

  const guide = GUIDES[op];
  const masked = needsMask(op, fields);
  const painting = masked && chosen !== null;
  useEditShortcuts(painting, {
    undo: () => setMask(undo),
    redo: () => setMask(redo),
  });

  const start = useMutation({
    mutationFn: async (v: {
      source: EditSource;
      fields: EditFields;
      masked: boolean;
      ops: typeof mask.present;
      background: File | null;
    }) => {
      const png =
        v.masked && chosen?.width && chosen.height ? await maskPng(v.ops, chosen.width, chosen.height) : null;
      return edit.start(v.source, v.fields, png, v.background);
    },
    // Refusals show as a notification with the server's message; Retry sends the same request again.
    meta: { silent: true },
    onError: (error, v) => {
      if (!isUnauthorized(error)) {
        notifyError(error, () => start.mutate(v), 'The edit was refused');
      }
    },
    onSuccess: (accepted, v) => {
      const label = operations.data?.operations[v.fields.operation]?.label ?? 'Edit';
      jobStore.track(accepted.job_id, `Edit: ${label}`, `/edit?job=${accepted.job_id}`);
      setParams({ job: accepted.job_id });
      resultsRef.current?.scrollIntoView({ behavior: 'smooth', block: 'start' });
    },
  });

  const providerLabel = (id: string) => providers.data?.providers.find((p) => p.id === id)?.label ?? id;
  const info = operations.data?.operations[op];
  const painted = masked && hasPaint(mask.present);
  const cloudUsable = info?.providers.some((p) => p.provider !== 'local' && p.available) ?? true;
  const plan = planRun(op, fields, painted, cloudUsable);
  const route = plan.route;
  const background = backgroundOf(op, fields);
  const cloudNeed = info && route === 'cloud' ? keyNeed(info, providerLabel) : null;
  // A prompt typed for an operation this server runs without it: say it will not be used.
  const promptNeed =
    info && plan.leftOut.some((n) => n.code === 'prompt_ignored_local') ? keyNeed(info, providerLabel) : null;
  const running = job !== undefined && !finished;
  const extents = guide.outpaint ? fields.extents : null;
  const expanded = extents ? extents.left + extents.right + extents.up + extents.down : 0;

  const blocker = !chosen
    ? 'Choose an image first.'
    : !chosen.width || !chosen.height
      ? 'Reading the image size…'
      : !info
        ? 'Loading the operations…'
        : !info.available
          ? `${keyNeed(info, providerLabel) ?? 'Not available'} for ${info.label}.`
          : masked && !painted
            ? 'Paint over the area to edit.'
            : guide.searchPrompt && !fields.searchPrompt.trim()
              ? 'Say what to find.'
              : guide.recolor && !masked && !(fields.selectPrompt.trim() && fields.prompt.trim())
                ? 'Name the object and its new colour.'
                : guide.prompt?.required && !fields.prompt.trim()
                  ? `Fill in “${guide.prompt.label}”.`
                  : guide.relight && !fields.prompt.trim() && !background
                    ? 'Describe the new background or choose a background image.'
                    : guide.backdrop && fields.backdrop === 'image' && !background
                      ? 'Choose a background image.'
                      : guide.outpaint && expanded === 0
                        ? 'Extend at least one side.'
                        : cloudNeed
                          ? `${cloudNeed} for this.`
                          : null;

  const run = () => {
    if (!chosen || blocker || start.isPending || running) {
      return;
    }
    start.mutate({
      source: chosen.source,
      fields: plan.fields,
      masked,
      ops: mask.present,
      background,
    });
  };

  return (
    <Stack>
      <div>
        <Title order={1}>Edit</Title>
        <Text c="dimmed">
          Erase objects, remove or replace the background, recolour, inpaint and outpaint. Operations marked
          Free run on this server; the others need a provider key.
        </Text>
      </div>
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <SourceCard
            title="1. Image"
            testId="edit"
            chosen={chosen}
            onFile={(file) => replace(fromFile(file))}
            onAsset={(asset) => replace(fromAsset(asset))}
            onClear={() => replace(null)}
            onSize={(size) => setChosen((c) => (c && c.width === null ? { ...c, ...size } : c))}
            disabled={start.isPending}
            preview={(image) =>
              chosen && (
                <Stack gap="sm" w="100%">
                  <EditStage
                    url={image.src}
                    name={chosen.name}
                    width={chosen.width}
                    height={chosen.height}
                    ops={mask.present}
                    painting={painting}
                    brush={brush}
                    onBrush={setBrush}
                    onStroke={(s) => setMask((m) => addStroke(m, s))}
                    extents={extents}
                    onLoad={image.onLoad}
                    onError={image.onError}
                  />
                  {painting && (
                    <MaskTools
                      brush={brush}
                      onBrush={setBrush}
                      canUndo={mask.past.length > 0}
                      canRedo={mask.future.length > 0}
                      onUndo={() => setMask(undo)}
                      onRedo={() => setMask(redo)}
                      onClear={() => setMask(clearMask)}
                      onInvert={() => setMask(invertMask)}
                      painted={mask.present.length > 0}
                    />
                  )}
                </Stack>
              )
            }
          />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack>
            <OperationPicker
              value={op}
              onChange={setOp}
              operations={operations.data?.operations}
              error={operations.isError ? messageOf(operations.error) : null}
              providerLabel={providerLabel}
            />
            <Card withBorder>
              <Stack gap="sm">
                <Text fw={600}>3. {info?.label ?? 'Settings'}</Text>
                <OperationFields
                  op={op}
                  value={fields}
                  onChange={setFields}
                  cloudNeed={promptNeed}
                  route={route}
                />
                {info && <EditCost credits={priceOf(info, route)} route={route} />}
                {blocker && (
                  <Text size="sm" c="dimmed" data-testid="edit-blocker">
                    {blocker}
                  </Text>
                )}
                <Button
                  size="md"
                  leftSection={<IconBrush size={18} />}
                  onClick={run}
                  loading={start.isPending || running}
                  disabled={blocker !== null}
                >
                  {info ? `Run ${info.label}` : 'Run'}
                </Button>
              </Stack>
            </Card>
          </Stack>
        </Grid.Col>
      </Grid>
      <Stack ref={resultsRef}>
        <Title order={2} size="h3">
          Result
        </Title>
        {running && <JobProgress job={job} doing="Editing" />}
        <JobOutcome run={studioJob} noun="edit" testId="edit" />
        {result && (
          <EditResult
            key={result.asset_id}
            result={result}
            label={operations.data?.operations[result.operation.replace(/^edit\./, '')]?.label ?? 'Edited'}
          />
        )}
        {!job && (
          <Card withBorder py="xl">
            <Stack align="center" gap="xs">
              <IconBrush size={40} aria-hidden />
              <Text c="dimmed" ta="center">
                The edited image appears here beside the original. It is saved to your library.
              </Text>
            </Stack>
          </Card>
        )}
      </Stack>
    </Stack>
  );
}
