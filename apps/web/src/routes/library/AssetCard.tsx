import { ActionIcon, Badge, Card, Checkbox, Group, Text, Tooltip, UnstyledButton } from '@mantine/core';
import { IconHeart, IconHeartFilled } from '@tabler/icons-react';
import type { Asset } from '../../api/endpoints.ts';
import { AssetThumb } from '../../components/AssetThumb.tsx';
import { useToggleFavorite } from '../../hooks/useLibrary.ts';

export function assetLabel(asset: Asset): string {
  return asset.title ?? asset.prompt ?? `Asset ${asset.id}`;
}

export function AssetCard({
  asset,
  selected,
  onSelect,
  onOpen,
}: {
  asset: Asset;
  selected: boolean;
  onSelect: (checked: boolean) => void;
  onOpen: () => void;
}) {
  const favorite = useToggleFavorite();
  const label = assetLabel(asset);
  return (
    <Card withBorder padding={0} data-testid="asset-card" data-asset-id={asset.id} data-selected={selected}>
      <Card.Section pos="relative">
        <UnstyledButton onClick={onOpen} aria-label={`Open ${label}`} display="block" w="100%">
          <AssetThumb asset={asset} />
        </UnstyledButton>
        <Checkbox
          size="md"
          pos="absolute"
          top={8}
          left={8}
          checked={selected}
          onChange={(e) => onSelect(e.currentTarget.checked)}
          aria-label={`Select ${label}`}
        />
        <Tooltip label={asset.is_favorite ? 'Remove from favorites' : 'Add to favorites'}>
          <ActionIcon
            pos="absolute"
            top={6}
            right={6}
            variant="white"
            color="red"
            radius="xl"
            aria-pressed={asset.is_favorite}
            aria-label={asset.is_favorite ? `Unfavorite ${label}` : `Favorite ${label}`}
            loading={favorite.isPending}
            onClick={() => favorite.mutate(asset.id)}
          >
            {asset.is_favorite ? <IconHeartFilled size={16} /> : <IconHeart size={16} />}
          </ActionIcon>
        </Tooltip>
      </Card.Section>
      <Group p="xs" gap={6} justify="space-between" wrap="nowrap">
        <Text size="xs" lineClamp={1} title={label}>
          {label}
        </Text>
        <Badge size="xs" variant="light" style={{ flexShrink: 0 }}>
          {asset.width}×{asset.height}
        </Badge>
      </Group>
    </Card>
  );
}
