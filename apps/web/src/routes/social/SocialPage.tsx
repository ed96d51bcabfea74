import { Alert, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { IconShare } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { ApiError } from '../../api/client.ts';
import { isUnauthorized, messageOf } from '../../api/errors.ts';
import { type SocialOptions, type SocialSource, social } from '../../api/social.ts';
import { notifyError } from '../../components/notify.tsx';
import { type ChosenSource, fromAsset, fromFile, release } from '../../components/studio/chosenSource.ts';
import { libraryKey, useAsset } from '../../hooks/useLibrary.ts';
import type { FocalPoint } from './FocalPointImage.tsx';
import { FormatPicker } from './FormatPicker.tsx';
import { OptionsPanel } from './OptionsPanel.tsx';
import { ResultsGrid, ResultsPending } from './ResultsGrid.tsx';
import classes from './SocialPage.module.css';
import { SourcePicker } from './SourcePicker.tsx';
import { DEFAULT_FORMAT_IDS, DEFAULT_SETTINGS, type SocialSettings } from './socialOptions.ts';

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
  }

  const replace = (next: ChosenSource | null) => {
    release(chosen);
    setChosen(next);
    setFocal(null);
  };
  // Leaving the screen releases the last file's preview.
  const chosenRef = useRef(chosen);
  useEffect(() => {
    chosenRef.current = chosen;
  }, [chosen]);
  useEffect(() => () => release(chosenRef.current), []);

  const optimize = useMutation({
    mutationFn: (v: { source: SocialSource; options: SocialOptions }) => social.optimize(v.source, v.options),
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
      options: {
        ...formatSelection(platforms, selected),
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
      onFocal={setFocal}
    />
  );
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
