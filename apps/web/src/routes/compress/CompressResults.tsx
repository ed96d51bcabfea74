import { Alert, Badge, Button, Card, Group, Stack, Text } from '@mantine/core';
import { IconCheck, IconFileZip, IconLibraryPlus } from '@tabler/icons-react';
import { Busy } from '../../components/Busy.tsx';
import { CompareSlider } from '../../components/studio/CompareSlider.tsx';
import { ResultActions } from '../../components/studio/ResultActions.tsx';
import { formatKb } from './compressOptions.ts';
import { ZoomDetail } from './ZoomDetail.tsx';

export interface Outcome {
  /** Object URL of the output, for the preview and the download. */
  url: string;
  blob: Blob;
  name: string;
  width: number;
  height: number;
  beforeKb: number;
  afterKb: number;
  format: string;
  /** Compress only: the quality the server settled on, and whether the target size was met. */
  qualityUsed: number | null;
  targetMet: boolean | null;
}

export interface ResultRow {
  key: string;
  name: string;
  /** The input as the browser can show it at full size. */
  before: string;
  state: 'waiting' | 'running' | 'done' | 'failed';
  outcome: Outcome | null;
  error: string | null;
  savedAssetId: number | null;
  saving: boolean;
}

function Row({
  row,
  selected,
  onSelect,
  onSave,
}: {
  row: ResultRow;
  selected: boolean;
  onSelect: () => void;
  onSave: () => void;
}) {
  const o = row.outcome;
  const reduction = o && o.beforeKb > 0 ? Math.round((1 - o.afterKb / o.beforeKb) * 100) : null;
  return (
    <Card withBorder padding="sm" data-testid="compress-result" data-name={o?.name ?? row.name}>
      <Stack gap="xs">
        <Group justify="space-between" wrap="nowrap" gap="xs">
          <Button
            variant={selected ? 'light' : 'subtle'}
            size="compact-sm"
            onClick={onSelect}
            style={{ minWidth: 0 }}
          >
            <Text size="sm" truncate>
              {o?.name ?? row.name}
            </Text>
          </Button>
          {row.state === 'running' && <Busy size="xs" label={`Working on ${row.name}`} />}
          {o && (
            <Group gap={4} wrap="nowrap">
              <Badge variant="outline" data-testid="compress-result-size">
                {o.width}×{o.height}
              </Badge>
              <Badge variant="light">{o.format.toUpperCase()}</Badge>
            </Group>
          )}
        </Group>
        {row.error && (
          <Alert color="red" p="xs" data-testid="compress-result-error">
            {row.error}
          </Alert>
        )}
        {o && (
          <>
            <Text size="sm" data-testid="compress-result-kb">
              {formatKb(o.beforeKb)} → <b>{formatKb(o.afterKb)}</b>
              {reduction !== null && (
                <Text span c={reduction >= 0 ? 'teal' : 'orange'}>
                  {' '}
                  ({reduction >= 0 ? `−${reduction}` : `+${-reduction}`}%)
                </Text>
              )}
              {o.qualityUsed !== null && (
                <Text span c="dimmed">
                  {' '}
                  · quality {o.qualityUsed}
                </Text>
              )}
            </Text>
            {o.targetMet === false && (
              <Text size="xs" c="orange">
                The target size could not be reached; this is the smallest it got.
              </Text>
            )}
            <Group gap="xs">
              <ResultActions
                href={o.url}
                fileName={o.name}
                name={o.name}
                assetId={row.savedAssetId}
                testId="compress-result"
                size="compact-sm"
              />
              {row.savedAssetId !== null ? (
                <Badge
                  color="teal"
                  variant="light"
                  leftSection={<IconCheck size={12} />}
                  data-testid="compress-saved"
                >
                  In your library
                </Badge>
              ) : (
                <Button
                  size="compact-sm"
                  variant="light"
                  leftSection={<IconLibraryPlus size={14} />}
                  loading={row.saving}
                  onClick={onSave}
                  aria-label={`Save to library: ${o.name}`}
                >
                  Save to library
                </Button>
              )}
            </Group>
          </>
        )}
      </Stack>
    </Card>
  );
}

/** Each file's outcome, the selected one compared with its input, and the whole set as one ZIP. */
export function CompressResults({
  rows,
  selected,
  onSelect,
  onSave,
  onSaveAll,
  zipUrl,
}: {
  rows: ResultRow[];
  selected: string | null;
  onSelect: (key: string) => void;
  onSave: (key: string) => void;
  onSaveAll: () => void;
  zipUrl: string | null;
}) {
  const shown = rows.find((r) => r.key === selected && r.outcome) ?? rows.find((r) => r.outcome);
  const done = rows.filter((r) => r.outcome);
  return (
    <Stack>
      {shown?.outcome && (
        <Card withBorder>
          <Stack gap="sm">
            <CompareSlider
              before={shown.before}
              after={shown.outcome.url}
              width={shown.outcome.width}
              height={shown.outcome.height}
              afterLabel={`${shown.outcome.format.toUpperCase()} at ${formatKb(shown.outcome.afterKb)}`}
            />
            <ZoomDetail
              before={shown.before}
              after={shown.outcome.url}
              width={shown.outcome.width}
              height={shown.outcome.height}
            />
          </Stack>
        </Card>
      )}
      {done.length > 1 && (
        <Group gap="xs">
          {zipUrl && (
            <Button
              component="a"
              href={zipUrl}
              download="compressed-images.zip"
              leftSection={<IconFileZip size={16} />}
              data-testid="compress-zip"
            >
              Download all (ZIP)
            </Button>
          )}
          <Button
            variant="light"
            leftSection={<IconLibraryPlus size={16} />}
            onClick={onSaveAll}
            disabled={done.every((r) => r.savedAssetId !== null)}
          >
            Save all to library
          </Button>
        </Group>
      )}
      {rows.map((row) => (
        <Row
          key={row.key}
          row={row}
          selected={row.key === shown?.key}
          onSelect={() => onSelect(row.key)}
          onSave={() => onSave(row.key)}
        />
      ))}
    </Stack>
  );
}
