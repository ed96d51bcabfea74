import type {
  Asset,
  AssetList,
  AssetListQuery,
  AssetStatistics,
  BulkResult,
  Collection,
  CollectionAssetsResult,
  CollectionList,
  DeleteResponse,
  FavoriteResponse,
  Lineage,
} from '@studio/contracts';
import type { z } from 'zod';
import { api, apiBlob } from './client.ts';

/** What the library screen filters by; every field maps onto the list endpoint's query. */
export type LibraryFilters = Partial<
  Pick<
    AssetListQuery,
    | 'asset_type'
    | 'source_module'
    | 'search'
    | 'favorites_only'
    | 'collection_id'
    | 'date_from'
    | 'date_to'
    | 'provider'
    | 'model'
    | 'trashed'
  >
>;

export interface PageParam {
  cursor?: string;
  offset?: number;
}

export type BulkAction = 'favorite' | 'unfavorite' | 'tag' | 'move' | 'delete';

export const PAGE_SIZE = 48;

export const library = {
  list: (filters: LibraryFilters, page: PageParam, signal?: AbortSignal) =>
    api<AssetList>('/api/content-assets', {
      query: { ...filters, limit: PAGE_SIZE, cursor: page.cursor, offset: page.offset },
      signal,
    }),
  get: (id: number) => api<Asset>(`/api/content-assets/${id}`),
  statistics: () => api<AssetStatistics>('/api/content-assets/statistics'),
  lineage: (id: number) => api<Lineage>(`/api/content-assets/${id}/lineage`),
  toggleFavorite: (id: number) =>
    api<z.infer<typeof FavoriteResponse>>(`/api/content-assets/${id}/favorite`, { method: 'POST', body: {} }),
  update: (id: number, body: { title?: string | null; tags?: string[] }) =>
    api<Asset>(`/api/content-assets/${id}`, { method: 'PUT', body }),
  remove: (id: number, permanent = false) =>
    api<z.infer<typeof DeleteResponse>>(`/api/content-assets/${id}`, {
      method: 'DELETE',
      query: { permanent: permanent ? 'true' : undefined },
    }),
  restore: (id: number) => api<Asset>(`/api/content-assets/${id}/restore`, { method: 'POST', body: {} }),
  emptyTrash: () => api<{ purged: number }>('/api/content-assets/trash', { method: 'DELETE' }),
  bulk: (
    action: BulkAction,
    body: { asset_ids: number[]; collection_id?: number | null; tags?: string[]; permanent?: boolean },
  ) => api<BulkResult>(`/api/content-assets/bulk/${action}`, { method: 'POST', body }),
  zip: (assetIds: number[]) =>
    apiBlob('/api/content-assets/bulk/download', { method: 'POST', body: { asset_ids: assetIds } }),
  upload: (file: File) => {
    const form = new FormData();
    form.append('title', file.name.replace(/\.[^.]+$/, ''));
    form.append('file', file);
    return api<Asset>('/api/content-assets/upload', { method: 'POST', body: form });
  },
  trackUsage: (id: number, action: 'download' | 'share' | 'access') =>
    api<unknown>(`/api/content-assets/${id}/usage`, { method: 'POST', query: { action }, body: {} }),
};

export const collections = {
  list: () =>
    api<z.infer<typeof CollectionList>>('/api/content-assets/collections', { query: { limit: 500 } }),
  create: (body: { name: string; description?: string | null }) =>
    api<Collection>('/api/content-assets/collections', { method: 'POST', body }),
  remove: (id: number) => api<unknown>(`/api/content-assets/collections/${id}`, { method: 'DELETE' }),
  add: (id: number, assetIds: number[]) =>
    api<z.infer<typeof CollectionAssetsResult>>(`/api/content-assets/collections/${id}/assets`, {
      method: 'POST',
      body: { asset_ids: assetIds },
    }),
};
