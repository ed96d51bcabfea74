import { Badge, Box, Button, Card, Group, Stack, Text } from '@mantine/core';
import { IconDownload, IconLibraryPhoto } from '@tabler/icons-react';
import { Link } from 'react-router';
import { assetUrls } from '../../api/endpoints.ts';
import type { StudioJobResult } from '../../api/studio.ts';
import { CompareSlider } from '../../components/studio/CompareSlider.tsx';
import { useAsset } from '../../hooks/useLibrary.ts';
import { placeOriginal } from './compareFrame.ts';
import classes from './EditStage.module.css';
import { useFramedOriginal } from './useFramedOriginal.ts';

const EXTENSIONS: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' };

/**
 * A finished edit: before/after with a divider, or for a cut-out the result alone on a checkerboard
 * (over the original its transparent areas would show the original through), then download and library.
 * An outpaint's original is placed where it lies in the larger result, so both sides show the same pixels.
 */
export function EditResult({ result, label }: { result: StudioJobResult; label: string }) {
  const op = result.operation.replace(/^edit\./, '');
  const cutout = op === 'remove_background';
  const output = useAsset(op === 'outpaint' ? result.asset_id : null).data;
  const input = useAsset(op === 'outpaint' ? result.input_asset_id : null).data;
  const place = output && input ? placeOriginal(input, result, output.params.expand) : null;
  const original = assetUrls.file(result.input_asset_id);
  const framed = useFramedOriginal(original, result, place);
  const extension = EXTENSIONS[result.mime] ?? 'img';
  return (
    <Card withBorder data-testid="edit-result" data-framed={framed ? 'true' : undefined}>
      <Stack gap="sm">
        {cutout ? (
          <Box
            className={classes.frame}
            style={{
              aspectRatio: `${result.width} / ${result.height}`,
              maxWidth: `calc(65vh * ${result.width / result.height})`,
              outline: 'none',
            }}
          >
            <img
              className={classes.image}
              src={assetUrls.file(result.asset_id)}
              alt={`Result: ${label}`}
              draggable={false}
            />
          </Box>
        ) : (
          <CompareSlider
            key={framed ?? original}
            before={framed ?? original}
            after={assetUrls.file(result.asset_id)}
            width={result.width}
            height={result.height}
            afterLabel="edited"
          />
        )}
        <Group justify="space-between" align="flex-start" gap="xs">
          <div>
            <Text fw={600}>
              {label}{' '}
              <Text span c="dimmed" fw={400} size="sm" data-testid="edit-output-size">
                {result.width}×{result.height} · {extension.toUpperCase()}
              </Text>
            </Text>
            <Group gap={6} mt={4}>
              <Badge variant="light" color="gray" data-testid="edit-model">
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
              data-testid="edit-download"
            >
              Download
            </Button>
            <Button
              component={Link}
              to={`/library?asset=${result.asset_id}`}
              variant="light"
              leftSection={<IconLibraryPhoto size={16} />}
            >
              Open in library
            </Button>
          </Group>
        </Group>
      </Stack>
    </Card>
  );
}
