import { AppError } from '../errors.ts';
import { BlobNotFoundError, type BlobStore } from '../storage/blob-store.ts';
import { mapLimited } from '../util/map-limited.ts';

/** Blobs are read whole (content-addressed puts hash the bytes), so a few at a time bounds memory. */
const CONCURRENCY = 4;

export interface CopyResult {
  copied: Array<{ sha256: string; size: number }>;
  missing: string[];
}

/**
 * Copies the blobs named by `keys` from one store to another. A key is the sha256 of its bytes, so
 * the target's put re-hashes them and a blob that rotted in storage is caught here, not at restore.
 */
export async function copyBlobs(
  keys: readonly string[],
  from: BlobStore,
  to: BlobStore,
): Promise<CopyResult> {
  const results = await mapLimited(keys, CONCURRENCY, async (sha256) => {
    let bytes: Buffer;
    try {
      bytes = await from.get(sha256);
    } catch (e) {
      if (e instanceof BlobNotFoundError) {
        return { sha256, size: -1 };
      }
      throw e;
    }
    const written = await to.put(bytes);
    if (written !== sha256) {
      throw new AppError(500, 'blob_corrupt', `Blob ${sha256} does not hash to its key (got ${written}).`);
    }
    return { sha256, size: bytes.length };
  });
  return {
    copied: results.filter((r) => r.size >= 0),
    missing: results.filter((r) => r.size < 0).map((r) => r.sha256),
  };
}
