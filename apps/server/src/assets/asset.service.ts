import type { Readable } from 'node:stream';
import type { Asset } from '@studio/contracts';
import sharp from 'sharp';
import type { AssetRow } from '../db/schema.ts';
import { notFound } from '../errors.ts';
import { type BlobStore, sha256Hex } from '../storage/blob-store.ts';
import { toAsset } from './asset.mapper.ts';
import type { AssetRepository } from './asset.repository.ts';
import { assetFileName } from './file-name.ts';
import { ThumbnailQueue } from './thumbnail-queue.ts';
import { makeThumbnails, type RawPixels, type ThumbSize, thumbnailsOf } from './thumbnails.ts';

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
}

export class AssetService {
  private readonly clock: () => Date;
  private readonly deferred: ThumbnailQueue;

  constructor(
    private readonly repo: AssetRepository,
    private readonly blobs: BlobStore,
    options: AssetServiceOptions = {},
  ) {
    this.clock = options.clock ?? (() => new Date());
    this.deferred = new ThumbnailQueue(options.onThumbnailError ?? (() => {}));
  }

  /**
   * Stores the blob and its thumbnails first, then the row: a row never points at a missing blob.
   * A failure between the two leaves at most an unreferenced blob, never a broken asset.
   */
  async create(input: NewAssetInput): Promise<{ asset: Asset; created: boolean }> {
    const sha = sha256Hex(input.bytes);
    if (input.dedupe) {
      const existing = await this.repo.findLiveBySha(input.userId, sha);
      if (existing) {
        return { asset: await this.present(existing), created: false };
      }
    }
    const meta = await sharp(input.bytes).metadata();
    const format = meta.format === 'heif' ? 'avif' : (meta.format ?? 'png');
    await this.blobs.put(input.bytes);
    const known = await this.knownThumbnails(sha);
    const made =
      known || input.deferThumbnails ? undefined : await this.makeThumbnails(input.bytes, input.pixels);
    const thumbs = known ?? made;
    const now = this.clock().toISOString();
    const row = await this.repo.create(
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
    );
    if (!thumbs) {
      const { bytes, pixels } = input;
      this.deferred.enqueue(row.id, () => this.fillThumbnails(row.id, bytes, pixels));
    }
    return {
      asset: toAsset(
        row,
        [...new Set(input.parentIds ?? [])].sort((a, b) => a - b),
      ),
      created: true,
    };
  }

  /** Thumbnails already made for the same bytes (any row), if their blobs are still there. */
  private async knownThumbnails(sha: string) {
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

  /** Makes and stores both thumbnails; returns their keys. */
  private async makeThumbnails(bytes: Buffer, pixels?: () => Promise<RawPixels>) {
    const thumbs = pixels ? await thumbnailsOf(await pixels()) : await makeThumbnails(bytes);
    const [small, large] = await Promise.all([this.blobs.put(thumbs.small), this.blobs.put(thumbs.large)]);
    return { small, large, thumbhash: thumbs.thumbhash };
  }

  /**
   * Deferred work for one row: its thumbnails are stored first, then the row points at them. A row
   * deleted meanwhile takes its new thumbnails with it.
   */
  private async fillThumbnails(id: number, bytes: Buffer, pixels?: () => Promise<RawPixels>): Promise<void> {
    const thumbs = await this.makeThumbnails(bytes, pixels);
    if (!(await this.repo.setThumbnails(id, thumbs))) {
      for (const sha of [thumbs.small, thumbs.large]) {
        if (!(await this.repo.blobInUse(sha))) await this.blobs.delete(sha);
      }
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
    const shas = new Set<string>();
    for (const row of rows) {
      for (const sha of [row.sha256, row.thumb_small_sha256, row.thumb_large_sha256]) {
        if (sha !== null) shas.add(sha);
      }
    }
    for (const sha of shas) {
      if (!(await this.repo.blobInUse(sha))) {
        await this.blobs.delete(sha);
      }
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
