import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Group,
  Image,
  Menu,
  Modal,
  SimpleGrid,
  Stack,
  Text,
  Tooltip,
} from '@mantine/core';
import {
  IconArrowsMaximize,
  IconCopy,
  IconDownload,
  IconHeart,
  IconHeartFilled,
  IconSend,
} from '@tabler/icons-react';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { assetUrls } from '../../api/endpoints.ts';
import { library } from '../../api/library.ts';
import type { CreateVariation } from '../../api/studio.ts';
import { notifyError, notifySuccess } from '../../components/notify.tsx';
import { StudioResult } from '../../components/studio/StudioResult.tsx';
import { useAsset, useToggleFavorite } from '../../hooks/useLibrary.ts';
import { STUDIOS } from '../../studios.tsx';

type Ok = Extract<CreateVariation, { asset_id: number }>;

async function pngOf(blob: Blob): Promise<Blob> {
  if (blob.type === 'image/png') {
    return blob;
  }
  const bitmap = await createImageBitmap(blob);
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  canvas.getContext('2d')?.drawImage(bitmap, 0, 0);
  return canvas.convertToBlob({ type: 'image/png' });
}

async function copyImage(id: number): Promise<void> {
  const png = await pngOf(await library.file(id));
  await navigator.clipboard.write([new ClipboardItem({ 'image/png': png })]);
}

/** "Use as input": the studios that take an image, each opened with `?asset=<id>`. */
const TAKES_INPUT = ['edit', 'upscale', 'social', 'control', 'compress'];

/**
 * One variation in the shared result panel (size, badges, download, open in library) with Create's
 * own parts: the thumbnail with zoom, the seed and "Vary this", favorite, copy and "Use as input".
 */
function ResultCard({
  r,
  onZoom,
  onReuseSeed,
}: {
  r: Ok;
  onZoom: () => void;
  onReuseSeed: (seed: number) => void;
}) {
  const navigate = useNavigate();
  // The favorite is the asset's own flag, so it survives reloads and matches the library.
  const asset = useAsset(r.asset_id);
  const toggle = useToggleFavorite();
  const favorite = asset.data?.is_favorite ?? false;
  const label = `variation ${r.variation}`;
  return (
    <div data-testid="result-card">
      <StudioResult
        result={{ ...r, mime: asset.data?.mime_type }}
        testId={`create-variation-${r.variation}`}
        afterLabel="generated"
        title={`Variation ${r.variation}`}
        name={label}
        preview={
          <Image
            src={assetUrls.thumbnail(r.asset_id, 'large')}
            alt={`Generated ${label}`}
            fit="contain"
            h={220}
            radius="sm"
            bg="var(--mantine-color-default-hover)"
          />
        }
      >
        <Group gap={4} justify="space-between">
          <Text size="xs" c="dimmed" data-testid="result-seed">
            {r.seed !== null ? `Seed ${r.seed}` : 'Seed not reported by the provider'}
          </Text>
          {r.seed !== null && (
            <Button
              size="compact-xs"
              variant="subtle"
              onClick={() => r.seed !== null && onReuseSeed(r.seed)}
              aria-label={`Vary this: ${label}, seed ${r.seed}`}
            >
              Vary this
            </Button>
          )}
        </Group>
        <Group gap={4}>
          <Tooltip label="Zoom">
            <ActionIcon variant="light" aria-label={`Zoom ${label}`} onClick={onZoom}>
              <IconArrowsMaximize size={16} />
            </ActionIcon>
          </Tooltip>
          <Tooltip label={favorite ? 'Remove from favorites' : 'Add to favorites'}>
            <ActionIcon
              variant="light"
              color="red"
              aria-pressed={favorite}
              aria-label={`${favorite ? 'Unfavorite' : 'Favorite'} ${label}`}
              loading={toggle.isPending || asset.isFetching}
              onClick={() => toggle.mutate(r.asset_id)}
            >
              {favorite ? <IconHeartFilled size={16} /> : <IconHeart size={16} />}
            </ActionIcon>
          </Tooltip>
          <Tooltip label="Copy image">
            <ActionIcon
              variant="light"
              aria-label={`Copy ${label}`}
              onClick={() =>
                copyImage(r.asset_id).then(
                  () => notifySuccess('Image copied to the clipboard.'),
                  (e: unknown) => notifyError(e, undefined, 'Could not copy the image'),
                )
              }
            >
              <IconCopy size={16} />
            </ActionIcon>
          </Tooltip>
          <Menu position="bottom-end">
            <Menu.Target>
              <Button size="compact-sm" variant="light" leftSection={<IconSend size={14} />}>
                Use as input
              </Button>
            </Menu.Target>
            <Menu.Dropdown>
              {STUDIOS.filter((s) => TAKES_INPUT.includes(s.id)).map((s) => (
                <Menu.Item key={s.id} onClick={() => void navigate(`${s.path}?asset=${r.asset_id}`)}>
                  {s.title}
                </Menu.Item>
              ))}
              <Menu.Item onClick={() => void navigate('/library')}>Library</Menu.Item>
            </Menu.Dropdown>
          </Menu>
        </Group>
      </StudioResult>
    </div>
  );
}

export function ResultsGallery({
  results,
  onReuseSeed,
}: {
  results: CreateVariation[];
  /** Puts a result's seed in the form, so the next run varies that image. */
  onReuseSeed: (seed: number) => void;
}) {
  const [zoom, setZoom] = useState<Ok | null>(null);
  const ok = results.filter((r): r is Ok => 'asset_id' in r);
  const failed = results.filter((r) => !('asset_id' in r));
  return (
    <Stack>
      {failed.length > 0 && (
        <Alert
          color="orange"
          title={`${failed.length} variation${failed.length === 1 ? '' : 's'} failed (not charged)`}
        >
          {failed.map((r) => ('error' in r ? `#${r.variation}: ${r.error}` : '')).join(' · ')}
        </Alert>
      )}
      <SimpleGrid cols={{ base: 1, xs: 2 }}>
        {ok.map((r) => (
          <ResultCard key={r.asset_id} r={r} onZoom={() => setZoom(r)} onReuseSeed={onReuseSeed} />
        ))}
      </SimpleGrid>
      <Modal
        opened={zoom !== null}
        onClose={() => setZoom(null)}
        size="xl"
        title={zoom ? `Variation ${zoom.variation}` : ''}
      >
        {zoom && (
          <Stack>
            <Image
              src={assetUrls.file(zoom.asset_id)}
              alt={`Variation ${zoom.variation} at full size`}
              fit="contain"
            />
            <Group gap={4}>
              <Badge variant="outline">
                {zoom.width}×{zoom.height}
              </Badge>
              <Badge variant="light">{zoom.provider}</Badge>
              <Badge variant="light">{zoom.model}</Badge>
              {zoom.seed !== null && <Badge variant="default">seed {zoom.seed}</Badge>}
            </Group>
            <Button
              component="a"
              href={assetUrls.file(zoom.asset_id, true)}
              leftSection={<IconDownload size={16} />}
              w="fit-content"
            >
              Download
            </Button>
          </Stack>
        )}
      </Modal>
    </Stack>
  );
}
