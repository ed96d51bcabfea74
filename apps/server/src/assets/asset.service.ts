import type { Readable } from 'node:stream';
import type { Asset } from '@studio/contracts';
import type { AssetRow } from '../db/schema.ts';
import { notFound } from '../errors.ts';
import { storedImageInfo } from '../imaging/probe.ts';
import {
  makeThumbnails,
  type RawPixels,
  type Thumbnails,
  type ThumbSize,
  thumbnailsOf,
} from '../imaging/thumbnails.ts';
import { type BlobStore, sha256Hex } from '../storage/blob-store.ts';
import type { Foreground } from '../util/foreground.ts';
import { toAsset } from './asset.mapper.ts';
import type { AssetRepository } from './asset.repository.ts';
import { AssetBlobs } from './asset-blobs.ts';
import { assetFileName } from './file-name.ts';
import { StorageQuota, type StorageReads } from './storage-quota.ts';
import { ThumbnailQueue } from './thumbnail-queue.ts';

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
  /** Requests in flight, which deferred thumbnails wait for. */
  foreground?: Foreground;
}

export class AssetService {
  private readonly clock: () => Date;
  private readonly deferred: ThumbnailQueue;
  private readonly stored: AssetBlobs;
  private readonly storageLimit: AssetServiceOptions['storageLimit'];
  private readonly quota = new StorageQuota();

  constructor(
    private readonly repo: AssetRepository,
    private readonly blobs: BlobStore,
    options: AssetServiceOptions = {},
  ) {
    this.clock = options.clock ?? (() => new Date());
    this.deferred = new ThumbnailQueue(options.onThumbnailError ?? (() => {}), 2, options.foreground);
    this.stored = new AssetBlobs(repo, blobs, options.onStorageError ?? (() => {}));
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
    const info = await storedImageInfo(input.bytes);
    const written: string[] = [sha];
    let made: Thumbnails | undefined;
    let row: AssetRow;
    try {
      await this.stored.store(input.bytes);
      let thumbs = await this.stored.knownThumbnails(sha);
      if (!thumbs && !input.deferThumbnails) {
        made = input.pixels ? await thumbnailsOf(await input.pixels()) : await makeThumbnails(input.bytes);
        written.push(sha256Hex(made.small), sha256Hex(made.large));
        thumbs = await this.stored.storeThumbnails(made);
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
          width: info.width,
          height: info.height,
          format: info.format,
          mime_type: info.mime,
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
      await this.stored.releaseQuietly(written);
      throw e;
    }
    row = await this.stored.restoreBlobs(row, input.bytes, made);
    if (!row.thumb_small_sha256 || !row.thumb_large_sha256) {
      const { bytes, pixels } = input;
      const id = row.id;
      this.deferred.enqueue(id, () => this.stored.fillThumbnails(id, bytes, pixels));
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

  /** Queues thumbnails for rows a previous run saved but stopped before thumbnailing. */
  async resumeThumbnails(): Promise<number> {
    const rows = await this.repo.missingThumbnails();
    for (const { id, sha256 } of rows) {
      this.deferred.enqueue(id, async () => this.stored.fillThumbnails(id, await this.blobs.get(sha256)));
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
      this.deferred.enqueue(row.id, async () => this.stored.fillThumbnails(id, await this.blobs.get(sha256)));
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
  releaseBlobs(rows: AssetRow[]): Promise<void> {
    return this.stored.releaseBlobs(rows);
  }

  /** Deletes each blob no row references, checked and deleted under the blob's lock; returns how many. */
  releaseUnused(shas: Array<string | null>): Promise<number> {
    return this.stored.releaseUnused(shas);
  }

  /** The orphan sweep's candidates: one query for which are in use, then a locked re-check of the rest. */
  deleteOrphans(shas: string[]): Promise<number> {
    return this.stored.deleteOrphans(shas);
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
