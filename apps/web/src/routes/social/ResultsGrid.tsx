import {
  Alert,
  Box,
  Button,
  Card,
  Group,
  Progress,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { IconFileZip } from '@tabler/icons-react';
import { useState } from 'react';
import { assetUrls } from '../../api/endpoints.ts';
import type { SocialFormatT, SocialOptimizeT } from '../../api/social.ts';
import { formatBytes } from '../../components/format.ts';
import { AssetDrawer } from '../library/AssetDrawer.tsx';
import { ResultCard } from './ResultCard.tsx';

const GRID = { base: 1, xs: 2, lg: 3 } as const;

/** While the server works: one placeholder per asked format, at that format's ratio. */
export function ResultsPending({ formats }: { formats: Array<SocialFormatT & { platformName: string }> }) {
  return (
    <Stack>
      <Card withBorder aria-live="polite">
        <Stack gap="xs">
          <Text size="sm">
            Optimizing {formats.length} format{formats.length === 1 ? '' : 's'}: cropping, encoding to each
            platform's limits and saving to your library…
          </Text>
          <Progress value={100} striped animated aria-label="Optimizing" />
        </Stack>
      </Card>
      <SimpleGrid cols={GRID}>
        {formats.map((f) => (
          <Card withBorder padding="sm" key={f.id}>
            <Text size="sm" fw={600}>
              {f.platformName} {f.name}
            </Text>
            <Text size="xs" c="dimmed">
              {f.width}×{f.height}
            </Text>
            <Box my="sm" style={{ display: 'flex', justifyContent: 'center' }}>
              <Skeleton
                h={Math.min(260, Math.round((260 * f.height) / Math.max(f.width, f.height)))}
                style={{ aspectRatio: `${f.width} / ${f.height}`, width: 'auto', maxWidth: '100%' }}
              />
            </Box>
          </Card>
        ))}
      </SimpleGrid>
    </Stack>
  );
}

/** The finished run: a card per output, with the ZIP of all of them. */
export function ResultsGrid({
  run,
  platformNames,
  showSafeZones,
}: {
  run: SocialOptimizeT;
  platformNames: ReadonlyMap<string, string>;
  showSafeZones: boolean;
}) {
  // A card's own toggle wins over the panel's switch until the next run.
  const [overrides, setOverrides] = useState<ReadonlyMap<string, boolean>>(new Map());
  const [details, setDetails] = useState<number | null>(null);
  const total = run.results.reduce((sum, r) => sum + r.file_size, 0);
  const source = {
    url: assetUrls.thumbnail(run.source_asset_id, 'small'),
    width: run.source.width,
    height: run.source.height,
  };
  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2} size="h3">
            {run.total_optimized} export{run.total_optimized === 1 ? '' : 's'}
          </Title>
          <Text size="sm" c="dimmed">
            From a {run.source.width}×{run.source.height} {run.source.format.toUpperCase()} ·{' '}
            {formatBytes(total)} in all · saved to your library
            {run.faces.length > 0
              ? ` · ${run.faces.length} face${run.faces.length === 1 ? '' : 's'} found`
              : ''}
          </Text>
        </div>
        <Button
          component="a"
          href={run.zip_url}
          download={`social-${run.export_id}.zip`}
          leftSection={<IconFileZip size={16} />}
          variant="light"
        >
          Download all (ZIP)
        </Button>
      </Group>
      {run.warnings.length > 0 && (
        <Alert color="orange" title="Some of your choices were adjusted">
          {run.warnings.join(' ')}
        </Alert>
      )}
      <SimpleGrid cols={GRID}>
        {run.results.map((r) => (
          <ResultCard
            key={r.asset_id}
            r={r}
            platformName={platformNames.get(r.platform) ?? r.platform}
            source={source}
            showSafeZone={overrides.get(r.format_id) ?? showSafeZones}
            onSafeZone={(on) => setOverrides((prev) => new Map(prev).set(r.format_id, on))}
            onDetails={() => setDetails(r.asset_id)}
          />
        ))}
      </SimpleGrid>
      <AssetDrawer id={details} onOpen={setDetails} onClose={() => setDetails(null)} />
    </Stack>
  );
}
