import { Alert, Button, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { IconShare } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { ApiError } from '../../api/client.ts';
import { isUnauthorized, messageOf } from '../../api/errors.ts';
import {
  type SocialCropT,
  type SocialOptions,
  type SocialResultT,
  type SocialSource,
  social,
} from '../../api/social.ts';
import { Busy } from '../../components/Busy.tsx';
import { notifyError } from '../../components/notify.tsx';
import { type ChosenSource, fromAsset, fromFile, release } from '../../components/studio/chosenSource.ts';
import { libraryKey, useAsset } from '../../hooks/useLibrary.ts';
import { CampaignPanel } from './CampaignPanel.tsx';
import type { CropRect } from './cropMath.ts';
import type { FocalPoint } from './FocalPointImage.tsx';
import { FormatPicker } from './FormatPicker.tsx';
import { LiveCrop } from './LiveCrop.tsx';
import { OptionsPanel } from './OptionsPanel.tsx';
import { ResultsGrid, ResultsPending } from './ResultsGrid.tsx';
import classes from './SocialPage.module.css';
import { SourcePicker } from './SourcePicker.tsx';
import { DEFAULT_FORMAT_IDS, DEFAULT_SETTINGS, type SocialSettings } from './socialOptions.ts';

type Strategy = SocialResultT['crop_strategy'];

/** The request's format part: the platforms in catalogue order, each with its chosen format ids. */
function formatSelection(
  platforms: Array<{ id: string; formats: Array<{ id: string }> }>,
  chosen: ReadonlySet<string>,
) {
  const formatNames: Record<string, string[]> = {};
  for (const p of platforms) {
    const ids = p.formats.filter((f) => chosen.has(f.id)).map((f) => f.id);
    if (ids.length > 0) {
      formatNames[p.id] = ids;
    }
  }
  return { platforms: Object.keys(formatNames), format_names: formatNames };
}

export default function SocialPage() {
  const client = useQueryClient();
  const catalogue = useQuery({
    queryKey: ['social', 'platforms'],
    queryFn: social.platforms,
    staleTime: Number.POSITIVE_INFINITY,
  });
  const platforms = catalogue.data?.platforms ?? [];
  const [picked, setPicked] = useState<Set<string> | null>(null);
  const selected = useMemo(
    () =>
      picked ??
      new Set(
        platforms.flatMap((p) => p.formats.map((f) => f.id)).filter((id) => DEFAULT_FORMAT_IDS.includes(id)),
      ),
    [picked, platforms],
  );
  const [chosen, setChosen] = useState<ChosenSource | null>(null);
  const [focal, setFocal] = useState<FocalPoint | null>(null);
  const [settings, setSettings] = useState<SocialSettings>(DEFAULT_SETTINGS);
  // Crops the user moved or resized, by format id; cleared with a new source or focal point.
  const [adjusted, setAdjusted] = useState<Record<string, CropRect>>({});
  const resultsRef = useRef<HTMLDivElement>(null);

  // "Send to → Social" from another screen names a library asset in the URL.
  const [params] = useSearchParams();
  const linkedId = Number(params.get('asset'));
  const linked = useAsset(Number.isInteger(linkedId) && linkedId > 0 ? linkedId : null);
  const [usedLink, setUsedLink] = useState<number | null>(null);
  if (linked.data && usedLink !== linked.data.id) {
    setUsedLink(linked.data.id);
    setChosen(fromAsset(linked.data));
    setFocal(null);
    setAdjusted({});
  }

  const replace = (next: ChosenSource | null) => {
    release(chosen);
    setChosen(next);
    setFocal(null);
    setAdjusted({});
  };
  const refocus = (point: FocalPoint | null) => {
    setFocal(point);
    setAdjusted({});
  };

  const selection = useMemo(() => formatSelection(platforms, selected), [platforms, selected]);
  // Live previews: the crops the export would make, re-asked whenever what decides them changes.
  const preview = useQuery({
    queryKey: ['social', 'preview', chosen?.url, selection, settings.cropMode, focal],
    queryFn: ({ signal }) =>
      social.preview(
        chosen!.source,
        { ...selection, crop_mode: settings.cropMode, focal_point: focal },
        signal,
      ),
    enabled: chosen !== null && selected.size > 0,
    staleTime: Number.POSITIVE_INFINITY,
    retry: false,
    meta: { silent: true },
  });
  // A library image brings back the crops last exported from it.
  const savedAssetId = chosen?.source.kind === 'asset' ? chosen.source.assetId : null;
  const saved = useQuery({
    queryKey: ['social', 'crops', savedAssetId],
    queryFn: () => social.savedCrops(savedAssetId!),
    enabled: savedAssetId !== null,
    meta: { silent: true },
  });
  const savedCrops = useMemo(
    () =>
      Object.fromEntries(
        (saved.data?.crops ?? []).map((c) => [
          c.format_id,
          { left: c.left, top: c.top, width: c.width, height: c.height },
        ]),
      ),
    [saved.data],
  );
  const previewFormats = preview.data?.formats ?? [];
  const cropOf = (f: { format_id: string; crop: CropRect }) =>
    adjusted[f.format_id] ?? (focal ? undefined : savedCrops[f.format_id]) ?? f.crop;
  // What export sends: exactly the crops on screen (fit keeps the whole image, so it has none).
  const shownCrops: SocialCropT[] =
    settings.cropMode === 'fit'
      ? []
      : previewFormats.map((f) => ({ platform: f.platform, format: f.format_id, ...cropOf(f) }));
  // Leaving the screen releases the last file's preview.
  const chosenRef = useRef(chosen);
  useEffect(() => {
    chosenRef.current = chosen;
  }, [chosen]);
  useEffect(() => () => release(chosenRef.current), []);

  const optimize = useMutation({
    // `shown`: the strategy behind each crop on screen, so a crop sent back unchanged keeps its label.
    mutationFn: async (v: {
      source: SocialSource;
      options: SocialOptions;
      shown: Record<string, Strategy>;
    }) => {
      const answer = await social.optimize(v.source, v.options);
      return {
        ...answer,
        results: answer.results.map((r) => ({
          ...r,
          crop_strategy: r.crop_strategy === 'manual' ? (v.shown[r.format_id] ?? 'manual') : r.crop_strategy,
        })),
      };
    },
    // The screen words this failure itself: a refused file or choice gains nothing from a retry.
    meta: { silent: true },
    onError: (error, v) => {
      if (isUnauthorized(error)) {
        return;
      }
      const refused = error instanceof ApiError && error.status >= 400 && error.status < 500;
      notifyError(error, refused ? undefined : () => optimize.mutate(v), 'Could not optimize the image');
    },
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: libraryKey });
      resultsRef.current?.scrollIntoView({ behavior: 'smooth', block: 'start' });
    },
  });

  const run = () => {
    if (!chosen || selected.size === 0 || optimize.isPending) {
      return;
    }
    const lossless = settings.outputFormat === 'png';
    optimize.mutate({
      source: chosen.source,
      shown: Object.fromEntries(
        previewFormats.map((f) => [f.format_id, cropOf(f) === f.crop ? f.crop_strategy : 'manual']),
      ),
      options: {
        ...selection,
        ...(shownCrops.length > 0 ? { crops: shownCrops } : {}),
        crop_mode: settings.cropMode,
        focal_point: focal,
        output_format: settings.outputFormat,
        ...(lossless ? {} : { quality: settings.quality }),
        fit_background: settings.fitBackground,
        background_color: settings.backgroundColor,
        include_base64: false,
      },
    });
  };

  const pendingFormats = platforms.flatMap((p) =>
    p.formats.filter((f) => selected.has(f.id)).map((f) => ({ ...f, platformName: p.display_name })),
  );
  const platformNames = useMemo(() => new Map(platforms.map((p) => [p.id, p.display_name])), [platforms]);
  const blocker = !chosen
    ? 'Choose a source image first.'
    : selected.size === 0
      ? 'Pick at least one format.'
      : null;
  const chosenPlatforms = platforms.filter((p) => p.formats.some((f) => selected.has(f.id)));

  const sourcePanel = (
    <SourcePicker
      chosen={chosen}
      onFile={(file) => replace(fromFile(file))}
      onAsset={(asset) => replace(fromAsset(asset))}
      onClear={() => replace(null)}
      onSize={(size) => setChosen((c) => (c && c.width === null ? { ...c, ...size } : c))}
      focal={focal}
      onFocal={refocus}
    />
  );
  const previewPanel =
    chosen && selected.size > 0 ? (
      <Card withBorder data-testid="live-previews">
        <Group justify="space-between" mb="xs">
          <Text fw={600}>Preview: drag a picture to move its crop, the slider to resize it</Text>
          {preview.isFetching && <Busy size="xs" label="Updating the crops" />}
        </Group>
        {preview.isError ? (
          <Alert color="red" title="No preview">
            {messageOf(preview.error)}
          </Alert>
        ) : preview.data ? (
          <SimpleGrid cols={{ base: 1, xs: 2, md: 3, lg: 4 }}>
            {previewFormats.map((f) => (
              <LiveCrop
                key={f.format_id}
                src={chosen.url}
                source={preview.data.source}
                format={f}
                platformName={platformNames.get(f.platform) ?? f.platform}
                crop={cropOf(f)}
                adjusted={cropOf(f) !== f.crop}
                showSafeZones={settings.showSafeZones}
                onCrop={(c) => setAdjusted((a) => ({ ...a, [f.format_id]: c }))}
                onReset={() =>
                  setAdjusted(({ [f.format_id]: _, ...rest }) => {
                    return rest;
                  })
                }
              />
            ))}
          </SimpleGrid>
        ) : null}
      </Card>
    ) : null;
  const optionsPanel = <OptionsPanel value={settings} onChange={setSettings} />;
  const formatsPanel = (
    <Card withBorder>
      <Text fw={600} mb="xs">
        2. Formats
      </Text>
      <FormatPicker
        platforms={platforms}
        loading={catalogue.isPending}
        selected={selected}
        onChange={setPicked}
      />
    </Card>
  );

  return (
    <Stack>
      <div>
        <Title order={1}>Social Optimizer</Title>
        <Text c="dimmed">
          Turn one image into every platform format you need: smart crops, safe zones and upload limits
          checked.
        </Text>
      </div>
      <div className={classes.layout}>
        <div className={classes.source}>{sourcePanel}</div>
        <div className={classes.formats}>{formatsPanel}</div>
        <div className={classes.options}>{optionsPanel}</div>
      </div>
      {previewPanel}
      <Card withBorder>
        <Group justify="space-between" gap="sm">
          <Text size="sm" c={blocker ? 'dimmed' : undefined}>
            {blocker ??
              `${selected.size} format${selected.size === 1 ? '' : 's'} for ${chosenPlatforms
                .map((p) => p.display_name)
                .join(', ')}${focal ? ', around your focal point' : ''}.`}
          </Text>
          <Button
            size="md"
            leftSection={<IconShare size={18} />}
            onClick={run}
            loading={optimize.isPending}
            disabled={blocker !== null}
          >
            Optimize {selected.size} format{selected.size === 1 ? '' : 's'}
          </Button>
        </Group>
      </Card>
      <CampaignPanel
        formatCount={selected.size}
        options={
          selected.size > 0
            ? {
                ...selection,
                crop_mode: settings.cropMode,
                output_format: settings.outputFormat,
                ...(settings.outputFormat === 'png' ? {} : { quality: settings.quality }),
                fit_background: settings.fitBackground,
                background_color: settings.backgroundColor,
              }
            : null
        }
      />
      <div ref={resultsRef}>
        {optimize.isPending ? (
          <ResultsPending formats={pendingFormats} />
        ) : optimize.isError ? (
          <Alert color="red" title="The image could not be optimized" data-testid="optimize-error">
            {messageOf(optimize.error)}
          </Alert>
        ) : optimize.data ? (
          <ResultsGrid
            key={optimize.data.export_id}
            run={optimize.data}
            platformNames={platformNames}
            showSafeZones={settings.showSafeZones}
          />
        ) : null}
      </div>
    </Stack>
  );
}
