import { Badge, Box, Button, Card, Group, Stack, Switch, Text, Tooltip } from '@mantine/core';
import { IconDownload, IconInfoCircle } from '@tabler/icons-react';
import { assetUrls } from '../../api/endpoints.ts';
import type { SocialResultT } from '../../api/social.ts';
import { formatBytes } from '../../components/format.ts';
import { CropPreview, SafeZoneOverlay } from './Overlays.tsx';

const STRATEGY_LABELS: Record<SocialResultT['crop_strategy'], string> = {
  focal_point: 'Your focal point',
  faces: 'Smart: faces',
  subjects: 'Smart: people and objects',
  saliency: 'Smart: main subject',
  center: 'Centered',
  fit: 'Fitted',
  manual: 'Your crop',
};

const EXTENSIONS: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/avif': 'avif',
};

export interface SourceView {
  url: string;
  width: number;
  height: number;
}

/** One exported format: the image at its true ratio, size against the platform limit, crop and safe zone. */
export function ResultCard({
  r,
  platformName,
  source,
  showSafeZone,
  onSafeZone,
  onDetails,
}: {
  r: SocialResultT;
  platformName: string;
  source: SourceView;
  showSafeZone: boolean;
  onSafeZone: (on: boolean) => void;
  onDetails: () => void;
}) {
  const label = `${platformName} ${r.format}`;
  const extension = EXTENSIONS[r.mime_type] ?? 'img';
  return (
    <Card withBorder padding="sm" data-testid="social-result" data-format-id={r.format_id}>
      <Text fw={600} size="sm">
        {label}
      </Text>
      <Text size="xs" c="dimmed">
        <span data-testid="result-size">
          {r.width}×{r.height}
        </span>{' '}
        · {r.ratio} · {extension.toUpperCase()}
      </Text>
      <Group gap={4} mt={6}>
        <Badge size="xs" variant="light">
          {STRATEGY_LABELS[r.crop_strategy]}
        </Badge>
        {r.within_size_limit ? (
          <Badge size="xs" color="teal" variant="light">
            Within limit
          </Badge>
        ) : (
          <Badge size="xs" color="red">
            Over the size limit
          </Badge>
        )}
        {r.quality_reduced && (
          <Tooltip label="The quality was lowered so the file fits the platform's upload limit.">
            <Badge size="xs" color="yellow" variant="light">
              Quality lowered to {r.quality}
            </Badge>
          </Tooltip>
        )}
      </Group>
      <Box
        my="sm"
        mih={120}
        bg="var(--mantine-color-default-hover)"
        style={{ display: 'flex', alignItems: 'center', justifyContent: 'center', borderRadius: 4 }}
      >
        <Box pos="relative" display="inline-block" style={{ lineHeight: 0 }}>
          <img
            src={assetUrls.thumbnail(r.asset_id, 'large')}
            alt={`${label}, ${r.width}×${r.height}`}
            width={r.width}
            height={r.height}
            style={{ maxWidth: '100%', maxHeight: 260, width: 'auto', height: 'auto', display: 'block' }}
          />
          {showSafeZone && <SafeZoneOverlay width={r.width} height={r.height} rect={r.safe_zone_rect} />}
        </Box>
      </Box>
      <Group gap="sm" align="flex-start" wrap="nowrap">
        <Box w={96} style={{ flexShrink: 0 }}>
          <CropPreview
            src={source.url}
            width={source.width}
            height={source.height}
            crop={r.crop}
            subjects={r.subjects}
            label={`The part of the source used for ${label}`}
          />
        </Box>
        <Stack gap={4} style={{ minWidth: 0 }}>
          <Text size="xs" data-testid="result-file-size">
            {formatBytes(r.file_size)} of {formatBytes(r.max_file_size)} allowed
          </Text>
          <Switch
            size="xs"
            mt={4}
            label="Safe zone"
            checked={showSafeZone}
            onChange={(e) => onSafeZone(e.currentTarget.checked)}
            aria-label={`Show the safe zone on ${label}`}
          />
        </Stack>
      </Group>
      {r.warnings.length > 0 && (
        <Stack gap={2} mt="xs">
          {r.warnings.map((w) => (
            <Text key={w} size="xs" c="orange">
              {w}
            </Text>
          ))}
        </Stack>
      )}
      <Group gap="xs" mt="sm">
        <Button
          size="compact-sm"
          component="a"
          href={`${r.file_url}?download=true`}
          download
          leftSection={<IconDownload size={14} />}
          aria-label={`Download ${label}`}
          data-testid="result-download"
        >
          Download
        </Button>
        <Button
          size="compact-sm"
          variant="light"
          leftSection={<IconInfoCircle size={14} />}
          onClick={onDetails}
          aria-label={`Open ${label} in the library`}
        >
          Open in library
        </Button>
      </Group>
    </Card>
  );
}
