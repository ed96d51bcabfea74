import { client, ok, type QueryOf } from './client.ts';
import { multipart } from './multipart.ts';

type ListQuery = QueryOf<'/api/content-assets'>;

/** What the library screen filters by; `listQuery` maps it onto the list endpoint's query. */
export type LibraryFilters = Partial<
  Pick<
    ListQuery,
    | 'asset_type'
    | 'source_module'
    | 'search'
    | 'collection_id'
    | 'date_from'
    | 'date_to'
    | 'provider'
    | 'model'
    | 'color'
  > & { favorites_only: boolean; trashed: boolean }
>;

export interface PageParam {
  cursor?: string;
  offset?: number;
}

export type BulkAction = 'favorite' | 'unfavorite' | 'tag' | 'move' | 'delete';
export type AssetListT = Awaited<ReturnType<typeof library.list>>;

export const PAGE_SIZE = 48;

const flag = (on: boolean | undefined) => (on ? 'true' : undefined);

/** The list endpoint's query for a page of the screen's filters (the server reads flags as text). */
export function listQuery(filters: LibraryFilters, page: PageParam): ListQuery {
  return {
    ...filters,
    favorites_only: flag(filters.favorites_only),
    trashed: flag(filters.trashed),
    limit: PAGE_SIZE,
    cursor: page.cursor,
    offset: page.offset,
  };
}

const byId = (id: number) => ({ params: { path: { id } } });

export const library = {
  list: (filters: LibraryFilters, page: PageParam, signal?: AbortSignal) =>
    ok(client.GET('/api/content-assets', { params: { query: listQuery(filters, page) }, signal })),
  get: (id: number) => ok(client.GET('/api/content-assets/{id}', byId(id))),
  /** The original's bytes (copy to clipboard and the like; links and `<img>` use assetUrls). */
  file: (id: number) => ok(client.GET('/api/content-assets/{id}/file', { ...byId(id), parseAs: 'blob' })),
  statistics: () => ok(client.GET('/api/content-assets/statistics')),
  lineage: (id: number) => ok(client.GET('/api/content-assets/{id}/lineage', byId(id))),
  toggleFavorite: (id: number) => ok(client.POST('/api/content-assets/{id}/favorite', byId(id))),
  update: (id: number, body: { title?: string | null; tags?: string[] }) =>
    ok(client.PUT('/api/content-assets/{id}', { ...byId(id), body })),
  remove: (id: number, permanent = false) =>
    ok(
      client.DELETE('/api/content-assets/{id}', {
        params: { path: { id }, query: { permanent: flag(permanent) } },
      }),
    ),
  restore: (id: number) => ok(client.POST('/api/content-assets/{id}/restore', byId(id))),
  emptyTrash: () => ok(client.DELETE('/api/content-assets/trash')),
  bulk: (
    action: BulkAction,
    body: { asset_ids: number[]; collection_id?: number | null; tags?: string[]; permanent?: boolean },
  ) => ok(client.POST('/api/content-assets/bulk/{action}', { params: { path: { action } }, body })),
  zip: (assetIds: number[]) =>
    ok(client.POST('/api/content-assets/bulk/download', { body: { asset_ids: assetIds }, parseAs: 'blob' })),
  upload: (file: File) =>
    ok(
      client.POST('/api/content-assets/upload', {
        body: { title: file.name.replace(/\.[^.]+$/, '') },
        bodySerializer: multipart({ file }),
      }),
    ),
  trackUsage: (id: number, action: 'download' | 'share' | 'access') =>
    ok(client.POST('/api/content-assets/{id}/usage', { params: { path: { id }, query: { action } } })),
};

export const collections = {
  list: () => ok(client.GET('/api/content-assets/collections', { params: { query: { limit: 500 } } })),
  create: (body: { name: string; description?: string | null }) =>
    ok(client.POST('/api/content-assets/collections', { body })),
  remove: (id: number) => ok(client.DELETE('/api/content-assets/collections/{id}', byId(id))),
  add: (id: number, assetIds: number[]) =>
    ok(
      client.POST('/api/content-assets/collections/{id}/assets', {
        ...byId(id),
        body: { asset_ids: assetIds },
      }),
    ),
};
