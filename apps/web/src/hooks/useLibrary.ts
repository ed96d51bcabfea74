import type { AssetList } from '@studio/contracts';
import {
  type InfiniteData,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import {
  type BulkAction,
  collections,
  type LibraryFilters,
  library,
  type PageParam,
} from '../api/library.ts';

export const libraryKey = ['library'] as const;
const collectionsKey = ['collections'] as const;

/**
 * Cursor pages while the server hands out cursors (stable under inserts); offset pages only when it
 * never does (relevance-sorted search). The last cursor page comes back without a cursor: that is the end.
 */
export function nextPage(last: AssetList, pages: AssetList[], params: PageParam[]): PageParam | undefined {
  if (last.next_cursor) {
    return { cursor: last.next_cursor };
  }
  if (params.some((p) => p.cursor !== undefined) || last.assets.length === 0) {
    return undefined;
  }
  const loaded = pages.reduce((n, page) => n + page.assets.length, 0);
  return loaded < last.total ? { offset: loaded } : undefined;
}

/** Pages of the library (cursor pages; offset pages when sorted by relevance). */
export function useAssets(filters: LibraryFilters) {
  return useInfiniteQuery<
    AssetList,
    Error,
    InfiniteData<AssetList, PageParam>,
    readonly unknown[],
    PageParam
  >({
    queryKey: [...libraryKey, 'list', filters],
    queryFn: ({ pageParam, signal }) => library.list(filters, pageParam, signal),
    initialPageParam: {},
    getNextPageParam: (last, pages, _lastParam, params) => nextPage(last, pages, params),
    placeholderData: (previous) => previous,
  });
}

export function useAsset(id: number | null) {
  return useQuery({
    queryKey: [...libraryKey, 'asset', id],
    queryFn: () => library.get(id ?? 0),
    enabled: id !== null,
  });
}

export function useLineage(id: number | null) {
  return useQuery({
    queryKey: [...libraryKey, 'lineage', id],
    queryFn: () => library.lineage(id ?? 0),
    enabled: id !== null,
  });
}

export function useLibraryStats() {
  return useQuery({ queryKey: [...libraryKey, 'stats'], queryFn: library.statistics });
}

/** Every library change refreshes lists, stats and details: they are cheap and stay consistent. */
function useLibraryMutation<V, R>(fn: (v: V) => Promise<R>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSettled: () => {
      void client.invalidateQueries({ queryKey: libraryKey });
      void client.invalidateQueries({ queryKey: collectionsKey });
    },
  });
}

export const useToggleFavorite = () => useLibraryMutation(library.toggleFavorite);
export const useRemoveAsset = () =>
  useLibraryMutation((v: { id: number; permanent?: boolean }) => library.remove(v.id, v.permanent));
export const useRestoreAsset = () => useLibraryMutation(library.restore);
export const useEmptyTrash = () => useLibraryMutation(library.emptyTrash);
export const useUpdateAsset = () =>
  useLibraryMutation((v: { id: number; title?: string | null; tags?: string[] }) =>
    library.update(v.id, { title: v.title, tags: v.tags }),
  );
export const useBulk = () =>
  useLibraryMutation(
    (v: { action: BulkAction; ids: number[]; collectionId?: number | null; permanent?: boolean }) =>
      library.bulk(v.action, {
        asset_ids: v.ids,
        collection_id: v.collectionId,
        permanent: v.permanent,
      }),
  );
/** Uploads files one after another; each becomes an asset (known bytes return the existing one). */
export const useUpload = () =>
  useLibraryMutation(async (files: File[]) => {
    for (const file of files) {
      await library.upload(file);
    }
  });
export const useBulkRestore = () =>
  useLibraryMutation((ids: number[]) => Promise.all(ids.map((id) => library.restore(id))));

export function useCollections() {
  return useQuery({ queryKey: collectionsKey, queryFn: collections.list });
}
export const useCreateCollection = () => useLibraryMutation(collections.create);
export const useDeleteCollection = () => useLibraryMutation(collections.remove);

/** Saves a blob under a file name through a temporary link (the download attribute). */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function useZipDownload() {
  return useMutation({
    mutationFn: async (ids: number[]) => {
      const blob = await library.zip(ids);
      saveBlob(blob, `image-studio-${ids.length}-assets.zip`);
    },
  });
}
