import { Badge, Button, Card, Group, Stack, Text } from '@mantine/core';
import { IconDownload, IconInfoCircle } from '@tabler/icons-react';
import { useState } from 'react';
import { assetUrls } from '../../api/endpoints.ts';
import type { StudioJobResult } from '../../api/studio.ts';
import { CompareSlider } from '../../components/studio/CompareSlider.tsx';
import { AssetDrawer } from '../library/AssetDrawer.tsx';

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v : null);
const int = (v: unknown): number | null => (typeof v === 'number' ? v : null);

const EXTENSIONS: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
};

/** A finished upscale: before/after, the output's pixel size, what ran and why, download and library. */
export function ResultPanel({ result }: { result: StudioJobResult }) {
  const [details, setDetails] = useState<number | null>(null);
  const m = result.metadata;
  const note = text(m.note);
  const autoReason = text(m.auto_reason);
  const mode = text(m.mode) ?? result.operation.replace('upscale.', '');
  const inputW = int(m.input_width);
  const inputH = int(m.input_height);
  const extension = EXTENSIONS[result.mime] ?? 'img';
  return (
    <Card withBorder data-testid="upscale-result">
      <Stack gap="sm">
        <CompareSlider
          before={assetUrls.file(result.input_asset_id)}
          after={assetUrls.file(result.asset_id)}
          width={result.width}
          height={result.height}
          afterLabel="upscaled"
        />
        <Group justify="space-between" align="flex-start" gap="xs">
          <div>
            <Text fw={600}>
              <span data-testid="upscale-output-size">
                {result.width}×{result.height}
              </span>{' '}
              <Text span c="dimmed" fw={400} size="sm">
                {inputW && inputH ? `from ${inputW}×${inputH} · ` : ''}
                {extension.toUpperCase()}
              </Text>
            </Text>
            <Group gap={6} mt={4}>
              <Badge variant="light">{mode}</Badge>
              <Badge variant="light" color="gray" data-testid="upscale-model">
                {result.provider}
                {result.model ? ` · ${result.model}` : ''}
              </Badge>
              <Badge variant="light" color={result.cost_credits === 0 ? 'teal' : 'yellow'}>
                {result.cost_credits === 0 ? 'Free' : `${result.cost_credits} credits`}
              </Badge>
            </Group>
          </div>
          <Group gap="xs">
            <Button
              component="a"
              href={assetUrls.file(result.asset_id, true)}
              download
              leftSection={<IconDownload size={16} />}
              data-testid="upscale-download"
            >
              Download
            </Button>
            <Button
              variant="light"
              leftSection={<IconInfoCircle size={16} />}
              onClick={() => setDetails(result.asset_id)}
            >
              Open in library
            </Button>
          </Group>
        </Group>
        {autoReason && (
          <Text size="sm" c="dimmed">
            Auto chose this: {autoReason}.
          </Text>
        )}
        {note && (
          <Text size="sm" c="orange" data-testid="upscale-note">
            Note: {note}.
          </Text>
        )}
      </Stack>
      <AssetDrawer id={details} onOpen={setDetails} onClose={() => setDetails(null)} />
    </Card>
  );
}
