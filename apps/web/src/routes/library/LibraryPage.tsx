import {
  Button,
  Center,
  Checkbox,
  FileButton,
  Group,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Tabs,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue, useIntersection } from '@mantine/hooks';
import { IconLayoutGrid, IconList, IconSearch, IconUpload } from '@tabler/icons-react';
import { useEffect, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { LibraryFilters } from '../../api/library.ts';
import { Busy } from '../../components/Busy.tsx';
import { PageLoader } from '../../components/PageLoader.tsx';
import {
  useAssets,
  useCollections,
  useEmptyTrash,
  useLibraryStats,
  useUpload,
} from '../../hooks/useLibrary.ts';
import { AssetCard } from './AssetCard.tsx';
import { AssetDrawer } from './AssetDrawer.tsx';
import { AssetTable } from './AssetTable.tsx';
import { BulkBar } from './BulkBar.tsx';
import { CollectionsPanel } from './CollectionsPanel.tsx';
import { DuplicatesPanel } from './DuplicatesPanel.tsx';
import { LibraryFilterBar } from './LibraryFilters.tsx';
import { ShareLinksPanel } from './ShareLinksPanel.tsx';

type Tab = 'all' | 'favorites' | 'collections' | 'duplicates' | 'shared' | 'trash';

export default function LibraryPage() {
  const [tab, setTab] = useState<Tab>('all');
  const [view, setView] = useState<'grid' | 'list'>('grid');
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search.trim(), 200);
  const [filters, setFilters] = useState<LibraryFilters>({});
  const [selected, setSelected] = useState<Set<number>>(new Set());
  // The open asset lives in the address (`/library?asset=42`), so other screens can link to it and
  // the back button closes the drawer.
  const [params, setParams] = useSearchParams();
  const openId = Number(params.get('asset')) || null;
  const setOpenId = (id: number | null) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (id === null) next.delete('asset');
        else next.set('asset', String(id));
        return next;
      },
      { replace: openId !== null && id !== null },
    );

  const query = useMemo<LibraryFilters>(
    () => ({
      ...filters,
      search: debounced || undefined,
      favorites_only: tab === 'favorites' ? true : undefined,
      trashed: tab === 'trash' ? true : undefined,
    }),
    [filters, debounced, tab],
  );
  const stats = useLibraryStats();
  const collections = useCollections();
  const assets = useAssets(query);
  const emptyTrash = useEmptyTrash();
  const upload = useUpload();
  const items = useMemo(() => assets.data?.pages.flatMap((p) => p.assets) ?? [], [assets.data]);
  const total = assets.data?.pages[0]?.total ?? 0;

  const { ref: sentinel, entry } = useIntersection({ rootMargin: '400px' });
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = assets;
  useEffect(() => {
    if (entry?.isIntersecting && hasNextPage && !isFetchingNextPage) {
      void fetchNextPage();
    }
  }, [entry?.isIntersecting, hasNextPage, isFetchingNextPage, fetchNextPage]);

  // A selection belongs to what is on screen; a new query starts a new one.
  const [selectionQuery, setSelectionQuery] = useState(query);
  if (selectionQuery !== query) {
    setSelectionQuery(query);
    setSelected(new Set());
  }

  const select = (id: number, checked: boolean) =>
    setSelected((prev) => {
      const next = new Set(prev);
      if (checked) {
        next.add(id);
      } else {
        next.delete(id);
      }
      return next;
    });
  const allSelected = items.length > 0 && items.every((a) => selected.has(a.id));
  const collectionList = collections.data?.collections ?? [];

  const results = assets.isPending ? (
    <PageLoader />
  ) : items.length === 0 ? (
    <Center mih={200}>
      <Stack align="center" gap="xs">
        <Text c="dimmed">
          {tab === 'trash'
            ? 'The trash is empty.'
            : debounced
              ? `Nothing matches “${debounced}”.`
              : 'No assets yet.'}
        </Text>
        {tab === 'all' && !debounced && (
          <Button component={Link} to="/create" variant="light">
            Create your first image
          </Button>
        )}
      </Stack>
    </Center>
  ) : view === 'grid' ? (
    <SimpleGrid cols={{ base: 2, xs: 3, md: 4, lg: 5 }} spacing="sm">
      {items.map((asset) => (
        <AssetCard
          key={asset.id}
          asset={asset}
          selected={selected.has(asset.id)}
          onSelect={(checked) => select(asset.id, checked)}
          onOpen={() => setOpenId(asset.id)}
        />
      ))}
    </SimpleGrid>
  ) : (
    <AssetTable assets={items} selected={selected} onSelect={select} onOpen={setOpenId} />
  );

  return (
    <Stack pb={80}>
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={1}>Asset Library</Title>
          <Text c="dimmed" size="sm">
            {stats.data
              ? `${stats.data.total} assets · ${stats.data.favorites_count} favorites · ${stats.data.trashed_count} in trash`
              : 'Everything you made or uploaded.'}
          </Text>
        </div>
        <Group gap="xs">
          <FileButton
            onChange={(files) => files.length > 0 && upload.mutate(files)}
            accept="image/*"
            multiple
          >
            {(props) => (
              <Button
                {...props}
                variant="light"
                leftSection={<IconUpload size={16} />}
                loading={upload.isPending}
              >
                Upload
              </Button>
            )}
          </FileButton>
          <SegmentedControl
            value={view}
            onChange={(v) => setView(v === 'list' ? 'list' : 'grid')}
            aria-label="View"
            data={[
              {
                value: 'grid',
                label: (
                  <Group gap={4} wrap="nowrap">
                    <IconLayoutGrid size={16} />
                    <span>Grid</span>
                  </Group>
                ),
              },
              {
                value: 'list',
                label: (
                  <Group gap={4} wrap="nowrap">
                    <IconList size={16} />
                    <span>List</span>
                  </Group>
                ),
              },
            ]}
          />
        </Group>
      </Group>
      <TextInput
        leftSection={<IconSearch size={16} />}
        placeholder="Search prompts, titles, tags, providers…"
        aria-label="Search the library"
        value={search}
        onChange={(e) => setSearch(e.currentTarget.value)}
        type="search"
      />
      <Tabs value={tab} onChange={(v) => setTab((v as Tab | null) ?? 'all')} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="all">All</Tabs.Tab>
          <Tabs.Tab value="favorites">Favorites</Tabs.Tab>
          <Tabs.Tab value="collections">Collections</Tabs.Tab>
          <Tabs.Tab value="duplicates">Duplicates</Tabs.Tab>
          <Tabs.Tab value="shared">Shared links</Tabs.Tab>
          <Tabs.Tab value="trash">Trash</Tabs.Tab>
        </Tabs.List>
      </Tabs>
      {tab === 'collections' ? (
        <CollectionsPanel
          collections={collectionList}
          onOpen={(id) => {
            setFilters({ collection_id: id });
            setTab('all');
          }}
        />
      ) : tab === 'duplicates' ? (
        <DuplicatesPanel onOpen={setOpenId} />
      ) : tab === 'shared' ? (
        <ShareLinksPanel collections={collectionList} />
      ) : (
        <>
          <LibraryFilterBar
            filters={filters}
            onChange={setFilters}
            stats={stats.data}
            collections={collectionList}
          />
          <Group justify="space-between">
            <Checkbox
              label={`Select all loaded (${items.length} of ${total})`}
              checked={allSelected}
              indeterminate={selected.size > 0 && !allSelected}
              onChange={(e) =>
                setSelected(e.currentTarget.checked ? new Set(items.map((a) => a.id)) : new Set())
              }
              disabled={items.length === 0}
            />
            {tab === 'trash' && items.length > 0 && (
              <Button
                size="xs"
                color="red"
                variant="light"
                loading={emptyTrash.isPending}
                onClick={() => emptyTrash.mutate()}
              >
                Empty trash
              </Button>
            )}
          </Group>
          {results}
          {/* Mounted anew under each loaded page, so the observer's first report comes after that page's
              layout: an answer from before it (when only a loader stood above) would fetch a page unasked. */}
          {hasNextPage && !assets.isPending && (
            <div ref={sentinel} key={items.length} data-testid="load-more-sentinel" />
          )}
          {isFetchingNextPage && (
            <Center>
              <Busy size="sm" label="Loading more" />
            </Center>
          )}
        </>
      )}
      <BulkBar
        ids={[...selected]}
        trash={tab === 'trash'}
        collections={collectionList}
        onDone={() => setSelected(new Set())}
      />
      <AssetDrawer id={openId} onOpen={setOpenId} onClose={() => setOpenId(null)} />
    </Stack>
  );
}
