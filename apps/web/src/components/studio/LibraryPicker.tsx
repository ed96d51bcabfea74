import { Button, Center, Modal, SimpleGrid, Stack, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import type { Asset } from '../../api/endpoints.ts';
import { useAssets } from '../../hooks/useLibrary.ts';
import { AssetThumb } from '../AssetThumb.tsx';
import { PageLoader } from '../PageLoader.tsx';

const label = (a: Asset) => a.title ?? a.prompt ?? `Asset ${a.id}`;

function PickerGrid({ onPick }: { onPick: (asset: Asset) => void }) {
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search.trim(), 200);
  const filters = useMemo(
    () => ({ asset_type: 'image' as const, search: debounced || undefined }),
    [debounced],
  );
  const assets = useAssets(filters);
  const items = assets.data?.pages.flatMap((p) => p.assets) ?? [];
  return (
    <Stack>
      <TextInput
        leftSection={<IconSearch size={16} />}
        placeholder="Search titles, prompts, tags…"
        aria-label="Search the library"
        type="search"
        value={search}
        onChange={(e) => setSearch(e.currentTarget.value)}
        data-autofocus
      />
      {assets.isPending ? (
        <PageLoader />
      ) : items.length === 0 ? (
        <Center mih={120}>
          <Text c="dimmed">
            {debounced ? `Nothing matches “${debounced}”.` : 'Your library has no images yet.'}
          </Text>
        </Center>
      ) : (
        <SimpleGrid cols={{ base: 3, sm: 4 }} spacing="xs">
          {items.map((asset) => (
            <UnstyledButton
              key={asset.id}
              onClick={() => onPick(asset)}
              aria-label={`Use ${label(asset)} (${asset.width}×${asset.height})`}
              title={`${label(asset)} · ${asset.width}×${asset.height}`}
            >
              <AssetThumb asset={asset} />
              <Text size="xs" lineClamp={1} mt={2}>
                {label(asset)}
              </Text>
            </UnstyledButton>
          ))}
        </SimpleGrid>
      )}
      {assets.hasNextPage && (
        <Button
          variant="light"
          loading={assets.isFetchingNextPage}
          onClick={() => void assets.fetchNextPage()}
        >
          Load more
        </Button>
      )}
    </Stack>
  );
}

/** A small chooser over the user's library images. */
export function LibraryPicker({
  opened,
  onClose,
  onPick,
}: {
  opened: boolean;
  onClose: () => void;
  onPick: (asset: Asset) => void;
}) {
  return (
    <Modal opened={opened} onClose={onClose} title="Pick an image from your library" size="lg">
      {opened && <PickerGrid onPick={onPick} />}
    </Modal>
  );
}
