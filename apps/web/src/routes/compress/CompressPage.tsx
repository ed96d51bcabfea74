import { Alert, Button, Card, Grid, Stack, Text, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconFileZip } from '@tabler/icons-react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { compression } from '../../api/compress.ts';
import { assetUrls } from '../../api/endpoints.ts';
import { messageOf } from '../../api/errors.ts';
import { library } from '../../api/library.ts';
import { type ChosenSource, fromAsset, fromFile, release } from '../../components/studio/chosenSource.ts';
import { useLinkedAsset } from '../../components/studio/useLinkedAsset.ts';
import { libraryKey } from '../../hooks/useLibrary.ts';
import { CompressResults, type Outcome, type ResultRow } from './CompressResults.tsx';
import { CompressSettings } from './CompressSettings.tsx';
import {
  COMPRESS_FORMATS,
  type CompressState,
  formatKb,
  fromDataUrl,
  INITIAL,
  outputFormat,
  outputNames,
  requestFor,
} from './compressOptions.ts';
import { type FileItem, FilesCard } from './FilesCard.tsx';
import { zip } from './zip.ts';

/** The batch endpoints' limit; the screen sends one request per file, but keeps to it. */
const MAX_FILES = 20;
let counter = 0;
const item = (chosen: ChosenSource): FileItem => ({ key: `f${++counter}`, chosen });
const beforeUrl = (c: ChosenSource) => (c.source.kind === 'asset' ? assetUrls.file(c.source.assetId) : c.url);

/** The source format the converter's recommendations start from: the file's type, else its name. */
function sourceFormat(c: ChosenSource): string | null {
  const type = c.source.kind === 'file' ? c.source.file.type.replace(/^image\//, '') : '';
  return type || /\.([a-z0-9]+)$/i.exec(c.name)?.[1]?.toLowerCase() || null;
}

async function runOne(c: ChosenSource, s: CompressState, name: string): Promise<Outcome> {
  const job = requestFor(s);
  if (job.kind === 'compress') {
    const r = await compression.compress(c.source, job.fields);
    const { mime, bytes } = fromDataUrl(r.image_base64);
    const blob = new Blob([bytes], { type: mime });
    return {
      url: URL.createObjectURL(blob),
      blob,
      name,
      width: r.width,
      height: r.height,
      beforeKb: r.original_size_kb,
      afterKb: r.compressed_size_kb,
      format: r.format,
      qualityUsed: r.quality_used,
      targetMet: job.fields.target_size_kb ? r.target_met : null,
    };
  }
  const r = await compression.convert(c.source, job.fields);
  const { mime, bytes } = fromDataUrl(r.image_base64);
  const blob = new Blob([bytes], { type: mime });
  return {
    url: URL.createObjectURL(blob),
    blob,
    name,
    width: r.width,
    height: r.height,
    beforeKb: r.original_size_kb,
    afterKb: r.converted_size_kb,
    format: r.target_format,
    qualityUsed: null,
    targetMet: null,
  };
}

export default function CompressPage() {
  const client = useQueryClient();
  const [items, setItems] = useState<FileItem[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [settings, setSettings] = useState<CompressState>(INITIAL);
  const [rows, setRows] = useState<ResultRow[]>([]);
  const [running, setRunning] = useState(false);
  const [zipUrl, setZipUrl] = useState<string | null>(null);
  const formats = useQuery({ queryKey: ['compress-formats'], queryFn: compression.formats });
  const presets = useQuery({ queryKey: ['compress-presets'], queryFn: compression.presets });
  const convertible = useQuery({ queryKey: ['convert-supported'], queryFn: compression.convertible });

  // Object URLs of outputs and files hold their bytes until revoked: on a new run and on leaving.
  const urls = useRef({ items, rows, zipUrl });
  urls.current = { items, rows, zipUrl };
  useEffect(
    () => () => {
      for (const i of urls.current.items) release(i.chosen);
      for (const r of urls.current.rows) if (r.outcome) URL.revokeObjectURL(r.outcome.url);
      if (urls.current.zipUrl) URL.revokeObjectURL(urls.current.zipUrl);
    },
    [],
  );

  const add = (chosen: ChosenSource[]) => {
    const room = chosen.slice(0, MAX_FILES - items.length);
    for (const c of chosen.slice(room.length)) release(c);
    const added = room.map(item);
    setItems((list) => [...list, ...added]);
    if (added[0]) setSelected(added[0].key);
  };
  useLinkedAsset((asset) => add([fromAsset(asset)]));
  const remove = (key: string) => {
    const gone = items.find((i) => i.key === key);
    if (gone) release(gone.chosen);
    setItems((list) => list.filter((i) => i.key !== key));
  };

  const current = items.find((i) => i.key === selected) ?? items[0];
  const [debounced] = useDebouncedValue(settings, 300);
  const estimateFormat = COMPRESS_FORMATS.find((f) => f === outputFormat(debounced));
  const estimate = useQuery({
    queryKey: ['compress-estimate', current?.key, estimateFormat, debounced.quality],
    queryFn: ({ signal }) =>
      compression.estimate(
        current?.chosen.source ?? { kind: 'asset', assetId: 0 },
        { format: estimateFormat ?? 'jpeg', quality: debounced.quality },
        signal,
      ),
    enabled:
      current !== undefined &&
      estimateFormat !== undefined &&
      !(debounced.mode === 'compress' && debounced.sizing === 'target'),
    placeholderData: (previous) => previous,
    meta: { silent: true },
  });
  const from = current ? sourceFormat(current.chosen) : null;
  const recommendations = useQuery({
    queryKey: ['convert-recommendations', from],
    queryFn: () => compression.recommendations(from ?? ''),
    enabled: settings.mode === 'convert' && from !== null,
  });

  const run = async () => {
    if (running || items.length === 0) return;
    for (const r of rows) if (r.outcome) URL.revokeObjectURL(r.outcome.url);
    if (zipUrl) URL.revokeObjectURL(zipUrl);
    setZipUrl(null);
    const names = outputNames(
      items.map((i) => i.chosen.name),
      outputFormat(settings),
    );
    const batch: ResultRow[] = items.map((i) => ({
      key: i.key,
      name: i.chosen.name,
      before: beforeUrl(i.chosen),
      state: 'waiting',
      outcome: null,
      error: null,
      savedAssetId: null,
      saving: false,
    }));
    setRows(batch);
    setRunning(true);
    const patch = (key: string, p: Partial<ResultRow>) =>
      setRows((list) => list.map((r) => (r.key === key ? { ...r, ...p } : r)));
    const done: Outcome[] = [];
    // One file at a time: the server's image budget is shared, and each row reports as it ends.
    for (const [index, i] of items.entries()) {
      patch(i.key, { state: 'running' });
      try {
        const outcome = await runOne(i.chosen, settings, names[index] ?? i.chosen.name);
        done.push(outcome);
        patch(i.key, { state: 'done', outcome });
      } catch (e) {
        patch(i.key, { state: 'failed', error: messageOf(e) });
      }
    }
    if (done.length > 1) {
      const entries = await Promise.all(
        done.map(async (o) => ({ name: o.name, bytes: new Uint8Array(await o.blob.arrayBuffer()) })),
      );
      setZipUrl(URL.createObjectURL(new Blob([zip(entries)], { type: 'application/zip' })));
    }
    setRunning(false);
  };

  const save = async (key: string) => {
    const row = rows.find((r) => r.key === key);
    if (!row?.outcome || row.savedAssetId !== null) return;
    const { blob, name } = row.outcome;
    setRows((list) => list.map((r) => (r.key === key ? { ...r, saving: true } : r)));
    try {
      const asset = await library.upload(new File([blob], name, { type: blob.type }));
      setRows((list) =>
        list.map((r) => (r.key === key ? { ...r, saving: false, savedAssetId: asset.id } : r)),
      );
      void client.invalidateQueries({ queryKey: libraryKey });
    } catch (e) {
      setRows((list) => list.map((r) => (r.key === key ? { ...r, saving: false, error: messageOf(e) } : r)));
    }
  };

  const e = estimate.data;
  const targetMode = settings.mode === 'compress' && settings.sizing === 'target';
  return (
    <Stack>
      <div>
        <Title order={1}>Compress & Convert</Title>
        <Text c="dimmed">
          Make several images smaller at once, to a quality or a target size, or convert them to another
          format. Runs on this server, free.
        </Text>
      </div>
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack>
            <FilesCard
              items={items}
              selected={current?.key ?? null}
              onSelect={setSelected}
              onFiles={(files) => add(files.map(fromFile))}
              onAsset={(asset) => add([fromAsset(asset)])}
              onRemove={remove}
              max={MAX_FILES}
              disabled={running}
            />
            <CompressSettings
              value={settings}
              onChange={setSettings}
              formats={formats.data?.formats ?? []}
              presets={presets.data?.presets ?? []}
              convertible={convertible.data?.formats ?? []}
              recommendations={recommendations.data?.recommendations ?? []}
            />
            <Card withBorder>
              <Stack gap="sm">
                <div aria-live="polite" data-testid="compress-estimate">
                  {!current ? (
                    <Text size="sm" c="dimmed">
                      Choose images to see the size they will have.
                    </Text>
                  ) : targetMode ? (
                    <Text size="sm">Each file aims for at most {formatKb(settings.targetKb)}.</Text>
                  ) : e && estimateFormat ? (
                    <Text size="sm">
                      {current.chosen.name}: {formatKb(e.original_size_kb)} →{' '}
                      <b data-testid="compress-estimate-kb">{formatKb(e.estimated_size_kb)}</b> as{' '}
                      {e.format.toUpperCase()} ({e.estimated_reduction_percent}% smaller)
                    </Text>
                  ) : estimate.isError ? (
                    <Text size="sm" c="red">
                      {messageOf(estimate.error)}
                    </Text>
                  ) : (
                    <Text size="sm" c="dimmed">
                      {estimateFormat ? 'Estimating…' : 'No size estimate for this format.'}
                    </Text>
                  )}
                </div>
                <Button
                  size="md"
                  leftSection={<IconFileZip size={18} />}
                  onClick={() => void run()}
                  loading={running}
                  disabled={items.length === 0}
                >
                  {settings.mode === 'convert' ? 'Convert' : 'Compress'} {items.length}{' '}
                  {items.length === 1 ? 'image' : 'images'}
                </Button>
              </Stack>
            </Card>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack>
            <Title order={2} size="h3">
              Results
            </Title>
            {rows.length === 0 ? (
              <Card withBorder py="xl">
                <Stack align="center" gap="xs">
                  <IconFileZip size={40} aria-hidden />
                  <Text c="dimmed" ta="center">
                    The smaller files appear here, each beside its original. Nothing is saved to your library
                    unless you ask.
                  </Text>
                </Stack>
              </Card>
            ) : (
              <CompressResults
                rows={rows}
                selected={selected}
                onSelect={setSelected}
                onSave={(key) => void save(key)}
                onSaveAll={() => {
                  for (const r of rows) void save(r.key);
                }}
                zipUrl={zipUrl}
              />
            )}
            {rows.some((r) => r.state === 'failed') && (
              <Alert color="orange" p="xs">
                Some files could not be processed; the others are ready.
              </Alert>
            )}
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
