import { ActionIcon, Anchor, Box, Checkbox, Table, Text } from '@mantine/core';
import { IconHeart, IconHeartFilled } from '@tabler/icons-react';
import type { Asset } from '../../api/endpoints.ts';
import { AssetThumb } from '../../components/AssetThumb.tsx';
import { formatBytes, formatDateTime, formatUsd } from '../../components/format.ts';
import { useToggleFavorite } from '../../hooks/useLibrary.ts';
import { assetLabel } from './AssetCard.tsx';

function FavoriteCell({ asset }: { asset: Asset }) {
  const favorite = useToggleFavorite();
  return (
    <ActionIcon
      variant="subtle"
      color="red"
      aria-pressed={asset.is_favorite}
      aria-label={asset.is_favorite ? `Unfavorite ${assetLabel(asset)}` : `Favorite ${assetLabel(asset)}`}
      onClick={() => favorite.mutate(asset.id)}
    >
      {asset.is_favorite ? <IconHeartFilled size={16} /> : <IconHeart size={16} />}
    </ActionIcon>
  );
}

export function AssetTable({
  assets,
  selected,
  onSelect,
  onOpen,
}: {
  assets: Asset[];
  selected: Set<number>;
  onSelect: (id: number, checked: boolean) => void;
  onOpen: (id: number) => void;
}) {
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table verticalSpacing="xs" highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={40} aria-label="Select" />
            <Table.Th w={64}>Preview</Table.Th>
            <Table.Th>Title</Table.Th>
            <Table.Th>Provider / model</Table.Th>
            <Table.Th>Size</Table.Th>
            <Table.Th>Cost</Table.Th>
            <Table.Th>Created</Table.Th>
            <Table.Th w={40} aria-label="Favorite" />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {assets.map((asset) => (
            <Table.Tr key={asset.id} data-testid="asset-row" data-asset-id={asset.id}>
              <Table.Td>
                <Checkbox
                  checked={selected.has(asset.id)}
                  onChange={(e) => onSelect(asset.id, e.currentTarget.checked)}
                  aria-label={`Select ${assetLabel(asset)}`}
                />
              </Table.Td>
              <Table.Td>
                <Box w={48}>
                  <AssetThumb asset={asset} />
                </Box>
              </Table.Td>
              <Table.Td maw={320}>
                <Anchor
                  component="button"
                  type="button"
                  onClick={() => onOpen(asset.id)}
                  size="sm"
                  lineClamp={1}
                >
                  {assetLabel(asset)}
                </Anchor>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{[asset.provider, asset.model].filter(Boolean).join(' / ') || '—'}</Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">
                  {asset.width}×{asset.height} · {formatBytes(asset.file_size)}
                </Text>
              </Table.Td>
              <Table.Td>{formatUsd(asset.cost)}</Table.Td>
              <Table.Td>{formatDateTime(asset.created_at)}</Table.Td>
              <Table.Td>
                <FavoriteCell asset={asset} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
