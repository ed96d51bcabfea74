import type { Readable } from 'node:stream';
import type {
  Asset,
  AssetList,
  AssetListQuery,
  AssetStatistics,
  AssetUpdateBody,
  BulkBody,
  BulkResult,
  Lineage,
} from '@studio/contracts';
import type { FastifyBaseLogger } from 'fastify';
import type { AssetRow } from '../db/schema.ts';
import { badRequest, notFound } from '../errors.ts';
import { type IngestLimits, ingestBase64, ingestBytes } from '../imaging/ingest.ts';
import { BlobNotFoundError, type BlobStore } from '../storage/blob-store.ts';
import { mapLimited } from '../util/map-limited.ts';
import type { AssetService } from './asset.service.ts';
import { mergeMetadata } from './asset-metadata.ts';
import { type Cursor, decodeCursor, encodeCursor, type KeysetSort } from './cursor.ts';
import type { AssetFilter, LibraryRepository } from './library.repository.ts';
import { searchTerms } from './search-terms.ts';
import { zipAssets } from './zip.ts';

export type UsageAction = 'download' | 'share' | 'access';

export interface UploadInput {
  title?: string;
  description?: string;
  prompt?: string;
  tags?: string[];
  filename?: string;
}

export interface SaveToLibraryInput {
  image_base64: string;
  prompt?: string | null;
  provider?: string | null;
  model?: string | null;
  cost?: number | null;
  operation: string;
  output_format: string;
}

/** Purges go in slices so one sweep never holds a huge transaction or id list. */
const PURGE_BATCH = 500;

/** Blob existence checks in flight before a ZIP starts (one HEAD each on S3). */
const ZIP_CHECK_CONCURRENCY = 8;

/**
 * The asset library on top of AssetService: listing and search, edits, favorites, usage, statistics,
 * trash, bulk actions, lineage, uploads. Every method is scoped to the calling user; someone else's
 * asset behaves exactly like a missing one.
 */
export class LibraryService {
  private readonly clock: () => Date;

  constructor(
    private readonly repo: LibraryRepository,
    private readonly assets: AssetService,
    private readonly blobs: Pick<BlobStore, 'has'>,
    private readonly limits: IngestLimits,
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
      ? mergeMetadata(parseObject(row.params), body.asset_metadata)
      : undefined;
    await this.repo.update(
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
    const value = await this.repo.toggleFavorite(userId, id, this.now());
    if (value === undefined) {
      throw notFound('Asset');
    }
    return { asset_id: id, is_favorite: value };
  }

  async trackUsage(userId: number, id: number, action: UsageAction) {
    const done = await this.repo.trackUsage(userId, [id], action, this.now());
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

  /** Moves the asset to the trash, or with `permanent` deletes it (and blobs nothing else uses). */
  async remove(userId: number, id: number, permanent: boolean) {
    if (permanent) {
      const purged = await this.purge(userId, [id]);
      if (purged.length === 0) {
        throw notFound('Asset');
      }
    } else {
      const moved = await this.repo.trash(userId, [id], this.now());
      if (moved.length === 0) {
        // Already in the trash counts as done; only a missing (or foreign) asset is a 404.
        await this.assets.owned(userId, id);
      }
    }
    return { asset_id: id, deleted: true as const, permanent };
  }

  async restore(userId: number, id: number): Promise<Asset> {
    if (!(await this.repo.restore(userId, id, this.now()))) {
      await this.assets.owned(userId, id);
    }
    return this.assets.get(userId, id);
  }

  async emptyTrash(userId: number): Promise<{ purged: number }> {
    let purged = 0;
    for (;;) {
      const ids = await this.repo.trashedIds({ userId, limit: PURGE_BATCH });
      if (ids.length === 0) {
        return { purged };
      }
      purged += (await this.purge(userId, ids)).length;
    }
  }

  /** Purges every asset of the user, in the trash or not (the account is being deleted). */
  async purgeAllOf(userId: number): Promise<number> {
    let purged = 0;
    for (;;) {
      const ids = await this.repo.idsOf(userId, PURGE_BATCH);
      if (ids.length === 0) {
        return purged;
      }
      purged += (await this.purge(userId, ids)).length;
    }
  }

  /** Purges every user's trash older than `retentionDays`; returns how many assets went. */
  async purgeExpired(retentionDays: number): Promise<number> {
    const before = new Date(this.clock().getTime() - retentionDays * 86_400_000).toISOString();
    let purged = 0;
    for (;;) {
      const ids = await this.repo.trashedIds({ before, limit: PURGE_BATCH });
      if (ids.length === 0) {
        return purged;
      }
      purged += (await this.purge(undefined, ids)).length;
    }
  }

  private async purge(userId: number | undefined, ids: number[]): Promise<AssetRow[]> {
    const rows = await this.repo.purge(userId, ids);
    await this.assets.releaseBlobs(rows);
    return rows;
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

  async bulk(
    userId: number,
    action: Exclude<BulkResult['action'], 'download'>,
    body: BulkBody,
    checkCollection: (collectionId: number) => Promise<void>,
  ): Promise<BulkResult> {
    const ids = [...new Set(body.asset_ids)];
    const now = this.now();
    let done: number[];
    switch (action) {
      case 'favorite':
      case 'unfavorite':
        done = await this.repo.setMany(userId, ids, { is_favorite: action === 'favorite' ? 1 : 0 }, now);
        break;
      case 'move': {
        if (body.collection_id === undefined) {
          throw badRequest('move needs collection_id (null takes assets out of their collection).');
        }
        if (body.collection_id !== null) {
          await checkCollection(body.collection_id);
        }
        done = await this.repo.setMany(userId, ids, { collection_id: body.collection_id }, now);
        break;
      }
      case 'tag':
        done = await this.retag(userId, ids, body, now);
        break;
      case 'delete':
        done = body.permanent
          ? (await this.purge(userId, ids)).map((r) => r.id).sort((a, b) => a - b)
          : await this.repo.trash(userId, ids, now);
        break;
    }
    const affected = new Set(done);
    // Trashed assets that were already in the trash still count as deleted, not as missing.
    const present =
      action === 'delete' && !body.permanent
        ? new Set((await this.repo.findOwnedMany(userId, ids, true)).map((r) => r.id))
        : affected;
    return {
      action,
      asset_ids: done,
      not_found: ids.filter((id) => !affected.has(id) && !present.has(id)),
    };
  }

  private async retag(userId: number, ids: number[], body: BulkBody, now: string): Promise<number[]> {
    if (!body.tags) {
      throw badRequest('tag needs tags.');
    }
    const given = uniqueTags(body.tags);
    const rows = await this.repo.findOwnedMany(userId, ids);
    const next = new Map<number, string[]>();
    for (const row of rows) {
      const current = parseTags(row.tags);
      next.set(
        row.id,
        body.tag_mode === 'set'
          ? given
          : body.tag_mode === 'remove'
            ? current.filter((t) => !given.includes(t))
            : uniqueTags([...current, ...given]),
      );
    }
    await this.repo.setTags(userId, next, now);
    return [...next.keys()];
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
    await this.repo.trackUsage(
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

  /** An upload through the one ingest path; bytes the user already has return that asset (created=false). */
  async upload(userId: number, input: { bytes?: Buffer; base64?: string }, meta: UploadInput) {
    const image = input.bytes
      ? await ingestBytes(input.bytes, { limits: this.limits })
      : await ingestBase64(input.base64 ?? '', { limits: this.limits });
    const fallbackTitle = meta.filename?.replace(/\.[^.]*$/, '').slice(0, 200);
    return this.assets.create({
      userId,
      bytes: image.bytes,
      sourceModule: 'upload',
      operation: 'upload',
      title: meta.title ?? fallbackTitle ?? null,
      description: meta.description ?? null,
      prompt: meta.prompt ?? null,
      tags: meta.tags ? uniqueTags(meta.tags) : [],
      params: meta.filename ? { original_filename: meta.filename } : {},
      dedupe: true,
    });
  }

  /** The original's `POST /api/image-studio/save-to-library` (seed-facts §1.11), through ingest. */
  async saveToLibrary(userId: number, req: SaveToLibraryInput) {
    const image = await ingestBase64(req.image_base64, { limits: this.limits });
    const stamp = this.now().replace('T', ' ').slice(0, 19);
    const { asset } = await this.assets.create({
      userId,
      bytes: image.bytes,
      sourceModule: 'image_studio',
      operation: req.operation,
      provider: req.provider ?? null,
      model: req.model ?? null,
      prompt: req.prompt ?? null,
      title: `Generated Image - ${stamp}`,
      params: { output_format: req.output_format },
      // Credits may be fractional; rounding to 1/100 credit drops binary float noise only.
      costCredits: Math.round((req.cost ?? 0) * 10_000) / 100,
    });
    return {
      success: true as const,
      asset_id: asset.id,
      file_url: asset.file_url,
      filename: `asset-${asset.id}.${asset.format === 'jpeg' ? 'jpg' : asset.format}`,
      file_size: asset.file_size,
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

function parseObject(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

function parseTags(text: string): string[] {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.filter((t): t is string => typeof t === 'string') : [];
  } catch {
    return [];
  }
}

const uniqueTags = (tags: string[]) => [...new Set(tags.map((t) => t.trim()).filter((t) => t !== ''))];
