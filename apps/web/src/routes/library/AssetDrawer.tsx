import {
  ActionIcon,
  Badge,
  Box,
  Button,
  Code,
  Drawer,
  Group,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
  Tooltip,
  UnstyledButton,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import {
  IconDownload,
  IconHeart,
  IconHeartFilled,
  IconRestore,
  IconShare,
  IconTrash,
} from '@tabler/icons-react';
import { type ReactNode, useState } from 'react';
import { type Asset, assetUrls } from '../../api/endpoints.ts';
import { AssetThumb } from '../../components/AssetThumb.tsx';
import { formatBytes, formatDateTime, formatUsd } from '../../components/format.ts';
import { PageLoader } from '../../components/PageLoader.tsx';
import {
  useAsset,
  useLineage,
  useRemoveAsset,
  useRestoreAsset,
  useToggleFavorite,
} from '../../hooks/useLibrary.ts';
import { assetLabel } from './AssetCard.tsx';
import { AssetEditForm } from './AssetEditForm.tsx';
import { AutoTags } from './AutoTags.tsx';
import { ColourSwatches } from './ColourSwatches.tsx';
import { RecognisedText } from './RecognisedText.tsx';
import { ShareDialog } from './ShareDialog.tsx';

function LineageRow({
  title,
  items,
  onOpen,
}: {
  title: string;
  items: Asset[];
  onOpen: (id: number) => void;
}) {
  if (items.length === 0) {
    return null;
  }
  return (
    <Stack gap={4}>
      <Text size="sm" fw={600}>
        {title}
      </Text>
      <SimpleGrid cols={{ base: 4, sm: 5 }} spacing={6}>
        {items.map((a) => (
          <Tooltip key={a.id} label={`${a.operation ?? a.source_module} · ${a.width}×${a.height}`}>
            <UnstyledButton onClick={() => onOpen(a.id)} aria-label={`Open ${assetLabel(a)}`}>
              <AssetThumb asset={a} />
            </UnstyledButton>
          </Tooltip>
        ))}
      </SimpleGrid>
    </Stack>
  );
}

function Meta({ rows }: { rows: Array<[string, ReactNode]> }) {
  return (
    <Table variant="vertical" layout="fixed" withTableBorder>
      <Table.Tbody>
        {rows.map(([label, value]) => (
          <Table.Tr key={label}>
            <Table.Th w={120}>{label}</Table.Th>
            <Table.Td style={{ wordBreak: 'break-word' }}>{value}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** One asset: the large preview, its metadata and lineage (source → edits → exports). */
export function AssetDrawer({
  id,
  onOpen,
  onClose,
}: {
  id: number | null;
  onOpen: (id: number) => void;
  onClose: () => void;
}) {
  const phone = useMediaQuery('(max-width: 48em)');
  const asset = useAsset(id);
  const lineage = useLineage(id);
  const favorite = useToggleFavorite();
  const remove = useRemoveAsset();
  const restore = useRestoreAsset();
  const [sharing, setSharing] = useState(false);
  const a = asset.data;
  return (
    <Drawer
      opened={id !== null}
      onClose={onClose}
      position="right"
      size={phone ? '100%' : 'lg'}
      title={
        <Title order={2} size="h4">
          {a ? assetLabel(a) : 'Asset'}
        </Title>
      }
    >
      {!a ? (
        <PageLoader />
      ) : (
        <Stack>
          <Box style={{ borderRadius: 8, overflow: 'hidden' }}>
            <AssetThumb asset={a} size="large" ratio={a.width / Math.max(1, a.height)} fit="contain" />
          </Box>
          <Group gap="xs">
            {a.deleted_at ? (
              <Button
                leftSection={<IconRestore size={16} />}
                loading={restore.isPending}
                onClick={() => restore.mutate(a.id)}
              >
                Restore
              </Button>
            ) : (
              <>
                <Button
                  component="a"
                  href={assetUrls.file(a.id, true)}
                  leftSection={<IconDownload size={16} />}
                >
                  Download
                </Button>
                <ActionIcon
                  size="lg"
                  variant="light"
                  color="red"
                  aria-pressed={a.is_favorite}
                  aria-label={a.is_favorite ? 'Remove from favorites' : 'Add to favorites'}
                  onClick={() => favorite.mutate(a.id)}
                >
                  {a.is_favorite ? <IconHeartFilled size={18} /> : <IconHeart size={18} />}
                </ActionIcon>
                <Button
                  variant="light"
                  leftSection={<IconShare size={16} />}
                  onClick={() => setSharing(true)}
                >
                  Share
                </Button>
                <Button
                  variant="light"
                  color="red"
                  leftSection={<IconTrash size={16} />}
                  loading={remove.isPending}
                  onClick={() => remove.mutate({ id: a.id }, { onSuccess: onClose })}
                >
                  Move to trash
                </Button>
              </>
            )}
          </Group>
          {!a.deleted_at && <AssetEditForm key={`${a.id}-${a.updated_at}`} asset={a} />}
          <Meta
            rows={[
              ['Prompt', a.prompt ?? '—'],
              ['Provider', a.provider ?? '—'],
              ['Model', a.model ?? '—'],
              ['Operation', a.operation ?? '—'],
              ['Module', a.source_module],
              ['Dimensions', `${a.width}×${a.height} ${a.format.toUpperCase()}`],
              ['File size', formatBytes(a.file_size)],
              ['Cost', `${formatUsd(a.cost)} (${a.cost_credits} credits)`],
              ['Created', formatDateTime(a.created_at)],
              [
                'Tags',
                a.tags.length ? (
                  <Group gap={4} key="tags">
                    {a.tags.map((t) => (
                      <Badge key={t} variant="light" size="sm">
                        {t}
                      </Badge>
                    ))}
                  </Group>
                ) : (
                  '—'
                ),
              ],
              ['Downloads', String(a.download_count)],
              ['Colours', <ColourSwatches key="colours" id={a.id} />],
              ['Found in image', <AutoTags key="auto-tags" id={a.id} />],
              ['Text in image', <RecognisedText key="text" id={a.id} />],
            ]}
          />
          {Object.keys(a.params).length > 0 && (
            <Stack gap={4}>
              <Text size="sm" fw={600}>
                Parameters
              </Text>
              <Code block>{JSON.stringify(a.params, null, 2)}</Code>
            </Stack>
          )}
          {lineage.data && (
            <>
              <LineageRow title="Made from" items={lineage.data.ancestors} onOpen={onOpen} />
              <LineageRow title="Made from this" items={lineage.data.descendants} onOpen={onOpen} />
            </>
          )}
          <ShareDialog
            target={sharing ? { asset_id: a.id } : null}
            name={assetLabel(a)}
            onClose={() => setSharing(false)}
          />
        </Stack>
      )}
    </Drawer>
  );
}
