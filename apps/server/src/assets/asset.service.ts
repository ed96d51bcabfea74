import type { Readable } from 'node:stream';
import type { Asset } from '@studio/contracts';
import sharp from 'sharp';
import type { AssetRow } from '../db/schema.ts';
import { notFound, serviceUnavailable } from '../errors.ts';
import { type BlobStore, sha256Hex } from '../storage/blob-store.ts';
import { toAsset } from './asset.mapper.ts';
import type { AssetRepository } from './asset.repository.ts';
import { assetFileName } from './file-name.ts';
import { StorageQuota, type StorageReads } from './storage-quota.ts';
import { ThumbnailQueue } from './thumbnail-queue.ts';
import {
  makeThumbnails,
  type RawPixels,
  type Thumbnails,
  type ThumbSize,
  thumbnailsOf,
} from './thumbnails.ts';

interface ThumbnailKeys {
  small: string;
  large: string;
  thumbhash: string | null;
}

const MIME: Record<string, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  avif: 'image/avif',
  heif: 'image/avif',
  gif: 'image/gif',
  tiff: 'image/tiff',
  svg: 'image/svg+xml',
};

export interface NewAssetInput {
  userId: number;
  /** Encoded image bytes, already validated (inputs come through imaging/ingest). */
  bytes: Buffer;
  sourceModule: string;
  operation?: string | null;
  provider?: string | null;
  model?: string | null;
  prompt?: string | null;
  title?: string | null;
  description?: string | null;
  params?: Record<string, unknown>;
  tags?: string[];
  parentIds?: number[];
  costCredits?: number;
  /** Uploads: bytes the user already has return the existing asset instead of a new row. */
  dedupe?: boolean;
  /**
   * The same picture, upright, rendered at `largeThumbSize` from pixels the caller already holds:
   * thumbnails are made from these instead of decoding `bytes` again.
   */
  pixels?: () => Promise<RawPixels>;
  /**
   * Make the thumbnails after returning (batches that answer a waiting client). Until they exist
   * the row's thumbnail keys and thumbhash are null and the thumbnail endpoint makes them on demand.
   */
  deferThumbnails?: boolean;
}

export interface AssetFile {
  stream: Readable;
  mimeType: string;
  size?: number;
  filename: string;
}

export interface AssetServiceOptions {
  clock?: () => Date;
  /** Where failures of deferred thumbnail work are reported (they never fail a request). */
  onThumbnailError?: (assetId: number, error: unknown) => void;
  /** Where the cause of a failed blob write or cleanup is reported (callers see `storage_unavailable`). */
  onStorageError?: (error: unknown) => void;
  /** Bytes of images this user may keep; without it, no quota is enforced. */
  storageLimit?: (userId: number) => Promise<number>;
}

export class AssetService {
  private readonly clock: () => Date;
  private readonly deferred: ThumbnailQueue;
  private readonly onStorageError: (error: unknown) => void;
  private readonly storageLimit: AssetServiceOptions['storageLimit'];
  private readonly quota = new StorageQuota();

  constructor(
    private readonly repo: AssetRepository,
    private readonly blobs: BlobStore,
    options: AssetServiceOptions = {},
  ) {
    this.clock = options.clock ?? (() => new Date());
    this.deferred = new ThumbnailQueue(options.onThumbnailError ?? (() => {}));
    this.onStorageError = options.onStorageError ?? (() => {});
    this.storageLimit = options.storageLimit;
  }

  /**
   * Stores the blob and its thumbnails first, then the row: a row never points at a missing blob.
   * A failure before the row commits releases what this call wrote (or, if even that fails, leaves
   * it to the orphan sweep); after the commit, blobs a concurrent purge took are put back. The storage
   * quota is checked before anything is written, and again as the row is inserted (saves racing).
   */
  async create(input: NewAssetInput): Promise<{ asset: Asset; created: boolean }> {
    const sha = sha256Hex(input.bytes);
    if (input.dedupe) {
      const existing = await this.repo.findLiveBySha(input.userId, sha);
      if (existing) {
        return { asset: await this.present(existing), created: false };
      }
    }
    const admit = await this.quotaCheck(input.userId, new Map([[sha, input.bytes.length]]));
    if (admit) await admit(this.repo.storageReads(input.userId));
    const meta = await sharp(input.bytes).metadata();
    const format = meta.format === 'heif' ? 'avif' : (meta.format ?? 'png');
    const written: string[] = [sha];
    let made: Thumbnails | undefined;
    let row: AssetRow;
    try {
      await this.store(input.bytes);
      let thumbs = await this.knownThumbnails(sha);
      if (!thumbs && !input.deferThumbnails) {
        made = input.pixels ? await thumbnailsOf(await input.pixels()) : await makeThumbnails(input.bytes);
        written.push(sha256Hex(made.small), sha256Hex(made.large));
        thumbs = await this.storeThumbnails(made);
      }
      const now = this.clock().toISOString();
      row = await this.repo.create(
        {
          user_id: input.userId,
          asset_type: 'image',
          source_module: input.sourceModule,
          operation: input.operation ?? null,
          provider: input.provider ?? null,
          model: input.model ?? null,
          prompt: input.prompt ?? null,
          title: input.title ?? null,
          description: input.description ?? null,
          params: JSON.stringify(input.params ?? {}),
          width: meta.autoOrient?.width ?? meta.width ?? 0,
          height: meta.autoOrient?.height ?? meta.height ?? 0,
          format,
          mime_type: MIME[format] ?? 'application/octet-stream',
          file_size: input.bytes.length,
          sha256: sha,
          thumb_small_sha256: thumbs?.small ?? null,
          thumb_large_sha256: thumbs?.large ?? null,
          thumbhash: thumbs?.thumbhash ?? null,
          cost_credits: input.costCredits ?? 0,
          is_favorite: 0,
          tags: JSON.stringify(input.tags ?? []),
          collection_id: null,
          download_count: 0,
          share_count: 0,
          access_count: 0,
          last_accessed: null,
          deleted_at: null,
          created_at: now,
          updated_at: now,
        },
        input.parentIds ?? [],
        admit,
      );
    } catch (e) {
      await this.releaseQuietly(written);
      throw e;
    }
    row = await this.restoreBlobs(row, input.bytes, made);
    if (!row.thumb_small_sha256 || !row.thumb_large_sha256) {
      const { bytes, pixels } = input;
      const id = row.id;
      this.deferred.enqueue(id, () => this.fillThumbnails(id, bytes, pixels));
    }
    return {
      asset: toAsset(
        row,
        [...new Set(input.parentIds ?? [])].sort((a, b) => a - b),
      ),
      created: true,
    };
  }

  /** The user's storage quota as a check of these images (sha256 → bytes), or undefined when none applies. */
  private async quotaCheck(
    userId: number,
    images: ReadonlyMap<string, number>,
  ): Promise<((reads: StorageReads) => Promise<void>) | undefined> {
    if (!this.storageLimit) return undefined;
    const limit = await this.storageLimit(userId);
    return (reads) => this.quota.admit(userId, images, limit, reads);
  }

  /**
   * Refuses up front a batch that cannot fit as a whole (a Social export's source and outputs), so
   * its 413 comes before any of it is saved. Each save is still checked on its own as it happens.
   */
  async assertRoom(userId: number, images: Buffer[]): Promise<void> {
    const admit = await this.quotaCheck(
      userId,
      new Map(images.map((bytes) => [sha256Hex(bytes), bytes.length])),
    );
    if (admit) await admit(this.repo.storageReads(userId));
  }

  /** Bytes of the user's images, trash included, each distinct image counted once. */
  async storageUsed(userId: number): Promise<number> {
    return (await this.repo.storageReads(userId).total()).used;
  }

  /** Thumbnails already made for the same bytes (any row), if their blobs are still there. */
  private async knownThumbnails(sha: string): Promise<ThumbnailKeys | undefined> {
    const known = await this.repo.thumbnailsOf(sha);
    if (
      known?.thumb_small_sha256 &&
      known.thumb_large_sha256 &&
      (await this.blobs.has(known.thumb_small_sha256))
    ) {
      return { small: known.thumb_small_sha256, large: known.thumb_large_sha256, thumbhash: known.thumbhash };
    }
    return undefined;
  }

  private async storeThumbnails(thumbs: Thumbnails): Promise<ThumbnailKeys> {
    const [small, large] = await Promise.all([this.store(thumbs.small), this.store(thumbs.large)]);
    return { small, large, thumbhash: thumbs.thumbhash };
  }

  /** Writes one blob; a storage failure is a 503 the caller may retry, its cause reported. */
  private async store(bytes: Buffer): Promise<string> {
    try {
      return await this.blobs.put(bytes);
    } catch (e) {
      this.onStorageError(e);
      throw serviceUnavailable(
        'storage_unavailable',
        'The image could not be stored: storage refused the write. Nothing was saved; try again.',
      );
    }
  }

  /**
   * After the row committed: a purge of another row with the same bytes may have deleted a blob
   * between this call's write and its commit (AssetRepository explains why no later purge can).
   * Puts any such blob back, so the committed row is whole.
   */
  private async restoreBlobs(row: AssetRow, bytes: Buffer, made?: Thumbnails): Promise<AssetRow> {
    if (!(await this.blobs.has(row.sha256))) await this.store(bytes);
    const { thumb_small_sha256: small, thumb_large_sha256: large } = row;
    if (!small || !large || ((await this.blobs.has(small)) && (await this.blobs.has(large)))) return row;
    const keys = await this.storeThumbnails(made ?? (await makeThumbnails(bytes)));
    if (keys.small === small && keys.large === large) return row;
    await this.repo.setThumbnails(row.id, keys);
    return {
      ...row,
      thumb_small_sha256: keys.small,
      thumb_large_sha256: keys.large,
      thumbhash: keys.thumbhash,
    };
  }

  /**
   * Deferred work for one row: its thumbnails are stored first, then the row points at them. A row
   * deleted meanwhile takes its new thumbnails with it.
   */
  private async fillThumbnails(id: number, bytes: Buffer, pixels?: () => Promise<RawPixels>): Promise<void> {
    const thumbs = pixels ? await thumbnailsOf(await pixels()) : await makeThumbnails(bytes);
    const keys = await this.storeThumbnails(thumbs);
    if (!(await this.repo.setThumbnails(id, keys))) {
      await this.releaseUnused([keys.small, keys.large]);
      return;
    }
    for (const [sha, data] of [
      [keys.small, thumbs.small],
      [keys.large, thumbs.large],
    ] as const) {
      if (!(await this.blobs.has(sha))) await this.store(data);
    }
  }

  /** Queues thumbnails for rows a previous run saved but stopped before thumbnailing. */
  async resumeThumbnails(): Promise<number> {
    const rows = await this.repo.missingThumbnails();
    for (const { id, sha256 } of rows) {
      this.deferred.enqueue(id, async () => this.fillThumbnails(id, await this.blobs.get(sha256)));
    }
    return rows.length;
  }

  /** Waits for deferred thumbnail work (tests, benches). */
  thumbnailsSettled(): Promise<void> {
    return this.deferred.idle();
  }

  /** Shutdown: finishes the thumbnails being made; the rest are resumed on the next start. */
  stopThumbnails(): Promise<void> {
    return this.deferred.stop();
  }

  async get(userId: number, id: number): Promise<Asset> {
    return this.present(await this.owned(userId, id));
  }

  /** The row itself, for services that need the stored bytes' key. */
  async owned(userId: number, id: number): Promise<AssetRow> {
    const row = await this.repo.findOwned(userId, id);
    if (!row) {
      throw notFound('Asset');
    }
    return row;
  }

  async bytes(userId: number, id: number): Promise<Buffer> {
    const row = await this.owned(userId, id);
    return this.blobs.get(row.sha256);
  }

  async file(userId: number, id: number): Promise<AssetFile> {
    const row = await this.owned(userId, id);
    return {
      stream: await this.blobs.stream(row.sha256),
      mimeType: row.mime_type,
      size: Number(row.file_size),
      filename: assetFileName(row),
    };
  }

  async thumbnail(userId: number, id: number, size: ThumbSize): Promise<AssetFile> {
    let row = await this.owned(userId, id);
    if (!row.thumb_small_sha256 || !row.thumb_large_sha256) {
      const { sha256 } = row;
      this.deferred.enqueue(row.id, async () => this.fillThumbnails(id, await this.blobs.get(sha256)));
      await this.deferred.settle(row.id);
      row = await this.owned(userId, id);
    }
    const sha = size === 'large' ? row.thumb_large_sha256 : row.thumb_small_sha256;
    if (!sha) {
      throw notFound('Thumbnail');
    }
    return {
      stream: await this.blobs.stream(sha),
      mimeType: 'image/webp',
      filename: `asset-${row.id}-${size}.webp`,
    };
  }

  /** Deletes the row for good (no trash), then every blob no other row references. */
  async delete(userId: number, id: number): Promise<void> {
    const row = await this.repo.deleteOwned(userId, id);
    if (!row) {
      throw notFound('Asset');
    }
    await this.releaseBlobs([row]);
  }

  /** After rows are gone: deletes each of their blobs that no remaining row (any user) references. */
  async releaseBlobs(rows: AssetRow[]): Promise<void> {
    await this.releaseUnused(
      rows.flatMap((row) => [row.sha256, row.thumb_small_sha256, row.thumb_large_sha256]),
    );
  }

  /** Deletes each blob no row references, checked and deleted under the blob's lock; returns how many. */
  async releaseUnused(shas: Array<string | null>): Promise<number> {
    let deleted = 0;
    for (const sha of new Set(shas)) {
      if (sha !== null && (await this.repo.deleteBlobIfUnused(sha, () => this.blobs.delete(sha)))) deleted++;
    }
    return deleted;
  }

  /** The orphan sweep's candidates: one query for which are in use, then a locked re-check of the rest. */
  async deleteOrphans(shas: string[]): Promise<number> {
    const used = await this.repo.blobsInUse(shas);
    return this.releaseUnused(shas.filter((sha) => !used.has(sha)));
  }

  /** Cleanup after a failure: what cannot be released now (storage or database down) the orphan sweep takes. */
  private async releaseQuietly(shas: string[]): Promise<void> {
    try {
      await this.releaseUnused(shas);
    } catch (e) {
      this.onStorageError(e);
    }
  }

  async present(row: AssetRow): Promise<Asset> {
    const parents = await this.repo.parentIds([row.id]);
    return toAsset(row, parents.get(row.id) ?? []);
  }

  /** Rows to API assets with one lineage query for the whole page. */
  async presentMany(rows: AssetRow[]): Promise<Asset[]> {
    const parents = await this.repo.parentIds(rows.map((r) => r.id));
    return rows.map((row) => toAsset(row, parents.get(row.id) ?? []));
  }

  /** A stream of one stored blob (file or thumbnail) by key, for callers that already own the row. */
  streamBlob(sha256: string): Promise<Readable> {
    return this.blobs.stream(sha256);
  }
}
