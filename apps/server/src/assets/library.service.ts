import type { Readable } from 'node:stream';
import type {
  Asset,
  AssetList,
  AssetListQuery,
  AssetStatistics,
  AssetUpdateBody,
  Lineage,
} from '@studio/contracts';
import type { FastifyBaseLogger } from 'fastify';
import type { AssetRow } from '../db/schema.ts';
import { badRequest, notFound } from '../errors.ts';
import { colourFilter } from '../imaging/colour.ts';
import { BlobNotFoundError, type BlobStore } from '../storage/blob-store.ts';
import { mapLimited } from '../util/map-limited.ts';
import type { AssetService } from './asset.service.ts';
import { mergeMetadata } from './asset-metadata.ts';
import { type Cursor, decodeCursor, encodeCursor, type KeysetSort } from './cursor.ts';
import type { AssetFilter, LibraryRepository } from './library.repository.ts';
import type { LibraryEditRepository } from './library-edit.repository.ts';
import { parseParams, uniqueTags } from './row-fields.ts';
import { searchTerms } from './search-terms.ts';
import { zipAssets } from './zip.ts';

export type UsageAction = 'download' | 'share' | 'access';

/** Blob existence checks in flight before a ZIP starts (one HEAD each on S3). */
const ZIP_CHECK_CONCURRENCY = 8;

/**
 * The asset library on top of AssetService: listing and search, edits, favorites, usage, statistics,
 * lineage and ZIP export (the trash is TrashService, bulk actions BulkService, uploads upload.ts).
 * Every method is scoped to the calling user; someone else's asset behaves exactly like a missing one.
 */
export class LibraryService {
  private readonly clock: () => Date;

  constructor(
    private readonly repo: LibraryRepository,
    private readonly edits: LibraryEditRepository,
    private readonly assets: AssetService,
    private readonly blobs: Pick<BlobStore, 'has'>,
    clock?: () => Date,
  ) {
    this.clock = clock ?? (() => new Date());
  }

  private now(): string {
    return this.clock().toISOString();
  }

  async list(userId: number, q: AssetListQuery, fixed: Partial<AssetFilter> = {}): Promise<AssetList> {
    const searching = q.search !== undefined && q.search.trim() !== '';
    let sort = q.sort_by ?? (searching && !q.cursor ? 'relevance' : 'created_at');
    if (sort === 'relevance' && !searching) {
      sort = 'created_at';
    }
    if (sort === 'relevance' && q.cursor) {
      throw badRequest('Cursor pagination needs a stable sort; use sort_by other than relevance.');
    }
    const keyset: KeysetSort | undefined = sort === 'relevance' ? undefined : sort;
    const cursor = q.cursor && keyset ? decodeCursor(q.cursor, keyset, q.sort_order) : undefined;
    const filter: AssetFilter = {
      userId,
      trashed: q.trashed ?? false,
      assetType: q.asset_type,
      sourceModule: q.source_module,
      searchTerms: searching ? searchTerms(q.search) : undefined,
      tags: q.tags
        ?.split(',')
        .map((t) => t.trim())
        .filter((t) => t !== ''),
      favoritesOnly: q.favorites_only,
      collectionId: q.collection_id,
      createdFrom: q.date_from ? new Date(q.date_from).toISOString() : undefined,
      createdTo: q.date_to ? endOf(q.date_to) : undefined,
      provider: q.provider,
      model: q.model,
      operation: q.operation,
      platform: q.platform,
      colour: q.color ? colourFilter(q.color, q.color_tolerance) : undefined,
      minWidth: q.min_width,
      maxWidth: q.max_width,
      minHeight: q.min_height,
      maxHeight: q.max_height,
      parentId: q.parent_id,
      ...fixed,
    };
    const { rows, total } = await this.repo.list(filter, {
      sort,
      order: q.sort_order,
      limit: q.limit + 1,
      offset: q.offset,
      cursor,
    });
    const page = rows.slice(0, q.limit);
    const last = page.at(-1);
    const next =
      keyset && last && rows.length > q.limit
        ? encodeCursor({ sort: keyset, order: q.sort_order, value: sortValue(last, keyset), id: last.id })
        : null;
    return {
      assets: await this.assets.presentMany(page),
      total,
      limit: q.limit,
      offset: cursor ? 0 : q.offset,
      next_cursor: next,
    };
  }

  async update(userId: number, id: number, body: AssetUpdateBody): Promise<Asset> {
    const row = await this.assets.owned(userId, id);
    const params = body.asset_metadata
      ? mergeMetadata(parseParams(row.params), body.asset_metadata)
      : undefined;
    await this.edits.update(
      userId,
      id,
      {
        title: body.title,
        description: body.description,
        tags: body.tags ? JSON.stringify(uniqueTags(body.tags)) : undefined,
        params,
      },
      this.now(),
    );
    return this.assets.get(userId, id);
  }

  async toggleFavorite(userId: number, id: number): Promise<{ asset_id: number; is_favorite: boolean }> {
    const value = await this.edits.toggleFavorite(userId, id, this.now());
    if (value === undefined) {
      throw notFound('Asset');
    }
    return { asset_id: id, is_favorite: value };
  }

  async trackUsage(userId: number, id: number, action: UsageAction) {
    const done = await this.edits.trackUsage(userId, [id], action, this.now());
    if (done.length === 0) {
      throw notFound('Asset');
    }
    return { asset_id: id, action, tracked: true as const };
  }

  async statistics(userId: number): Promise<AssetStatistics> {
    const { groups, trashed } = await this.repo.statistics(userId);
    const stats: AssetStatistics = {
      total: 0,
      by_type: {},
      by_source: {},
      by_provider: {},
      total_cost: 0,
      total_cost_credits: 0,
      favorites_count: 0,
      trashed_count: trashed,
    };
    const add = (map: Record<string, number>, key: string, n: number) => {
      map[key] = (map[key] ?? 0) + n;
    };
    for (const g of groups) {
      stats.total += g.n;
      add(stats.by_type, g.asset_type, g.n);
      add(stats.by_source, g.source_module, g.n);
      add(stats.by_provider, g.provider ?? 'none', g.n);
      stats.total_cost_credits += g.credits;
      stats.favorites_count += g.favorites;
    }
    stats.total_cost = stats.total_cost_credits / 100;
    return stats;
  }

  async lineage(userId: number, id: number): Promise<Lineage> {
    await this.assets.owned(userId, id);
    const [up, down] = await Promise.all([
      this.repo.lineage(userId, id, 'up'),
      this.repo.lineage(userId, id, 'down'),
    ]);
    const rows = await this.repo.findOwnedMany(
      userId,
      [...up, ...down].map((r) => r.id),
      true,
    );
    const byId = new Map((await this.assets.presentMany(rows)).map((a) => [a.id, a]));
    const attach = (list: { id: number; depth: number }[]) =>
      list.flatMap((r) => {
        const asset = byId.get(r.id);
        return asset ? [{ ...asset, depth: r.depth }] : [];
      });
    return { asset_id: id, ancestors: attach(up), descendants: attach(down) };
  }

  /**
   * A ZIP of the owner's live assets among `ids`; 404 when none of them is. Counts as a download.
   * Assets whose stored file is missing are left out and listed in `missing` (known before the
   * answer starts) or logged (gone while the archive was being written); when every file is missing
   * the answer is the `blob_missing` error.
   */
  async zip(
    userId: number,
    ids: number[],
    log: Pick<FastifyBaseLogger, 'warn'>,
  ): Promise<{ stream: Readable; count: number; notFound: number[]; missing: number[] }> {
    const rows = await this.repo.findOwnedMany(userId, [...new Set(ids)]);
    if (rows.length === 0) {
      throw notFound('Asset');
    }
    const stored = await mapLimited(rows, ZIP_CHECK_CONCURRENCY, (row) => this.blobs.has(row.sha256));
    const present = rows.filter((_, i) => stored[i]);
    const missing = rows.filter((_, i) => !stored[i]);
    for (const row of missing) {
      log.warn({ assetId: row.id, sha256: row.sha256 }, 'ZIP export skips an asset whose blob is missing');
    }
    const [first] = missing;
    if (present.length === 0 && first) {
      throw new BlobNotFoundError(first.sha256);
    }
    await this.edits.trackUsage(
      userId,
      present.map((r) => r.id),
      'download',
      this.now(),
    );
    const found = new Set(rows.map((r) => r.id));
    return {
      stream: zipAssets(
        present,
        (sha) => this.assets.streamBlob(sha),
        (row) =>
          log.warn(
            { assetId: row.id, sha256: row.sha256 },
            'ZIP export skipped an asset whose blob went missing while the archive was written',
          ),
      ),
      count: present.length,
      notFound: ids.filter((id) => !found.has(id)),
      missing: missing.map((r) => r.id),
    };
  }
}

/** A bare date means the whole day, so `date_to=2025-01-31` includes that day's afternoon. */
function endOf(value: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T23:59:59.999Z` : new Date(value).toISOString();
}

function sortValue(row: AssetRow, key: KeysetSort): Cursor['value'] {
  switch (key) {
    case 'created_at':
      return row.created_at;
    case 'updated_at':
      return row.updated_at;
    case 'cost':
      return row.cost_credits;
    case 'file_size':
      return Number(row.file_size);
    case 'title':
      return row.title ?? '';
  }
}
