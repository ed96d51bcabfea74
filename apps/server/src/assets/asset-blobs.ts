import type { AssetRow } from '../db/schema.ts';
import { serviceUnavailable } from '../errors.ts';
import { makeThumbnails, type RawPixels, type Thumbnails, thumbnailsOf } from '../imaging/thumbnails.ts';
import type { BlobStore } from '../storage/blob-store.ts';
import type { AssetRepository } from './asset.repository.ts';

export interface ThumbnailKeys {
  small: string;
  large: string;
  thumbhash: string | null;
}

/**
 * The blobs behind asset rows: writing them (a failure is a 503), thumbnails shared by identical
 * bytes, putting back what a racing purge took, and deleting each blob once no row references it.
 */
export class AssetBlobs {
  constructor(
    private readonly repo: AssetRepository,
    private readonly blobs: BlobStore,
    private readonly onStorageError: (error: unknown) => void,
  ) {}

  /** Thumbnails already made for the same bytes (any row), if their blobs are still there. */
  async knownThumbnails(sha: string): Promise<ThumbnailKeys | undefined> {
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

  async storeThumbnails(thumbs: Thumbnails): Promise<ThumbnailKeys> {
    const [small, large] = await Promise.all([this.store(thumbs.small), this.store(thumbs.large)]);
    return { small, large, thumbhash: thumbs.thumbhash };
  }

  /** Writes one blob; a storage failure is a 503 the caller may retry, its cause reported. */
  async store(bytes: Buffer): Promise<string> {
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
  async restoreBlobs(row: AssetRow, bytes: Buffer, made?: Thumbnails): Promise<AssetRow> {
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
  async fillThumbnails(id: number, bytes: Buffer, pixels?: () => Promise<RawPixels>): Promise<void> {
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
  async releaseQuietly(shas: string[]): Promise<void> {
    try {
      await this.releaseUnused(shas);
    } catch (e) {
      this.onStorageError(e);
    }
  }
}
