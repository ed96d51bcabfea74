import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';

/**
 * Content-addressed blob storage: a blob's key is the sha256 of its bytes, so writing the same bytes
 * twice stores them once. Implementations write atomically: a reader never sees a partial blob.
 */
export interface BlobStore {
  readonly kind: 'fs' | 's3';
  /** Stores the bytes (no-op when present) and returns their sha256. */
  put(bytes: Buffer): Promise<string>;
  get(sha256: string): Promise<Buffer>;
  stream(sha256: string): Promise<Readable>;
  has(sha256: string): Promise<boolean>;
  delete(sha256: string): Promise<void>;
  /** Every stored blob with when it was last written (the orphan sweep's grace period counts from it). */
  list(): AsyncIterable<StoredBlob>;
  /** Removes what writes interrupted before `before` left behind (fs temp files); returns how many. */
  removePartial(before: Date): Promise<number>;
  /** Round trip used by the health check. */
  ping(): Promise<void>;
}

export interface StoredBlob {
  sha256: string;
  modifiedAt: Date;
}

export const sha256Hex = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

const SHA_RE = /^[0-9a-f]{64}$/;

export const isSha = (key: string) => SHA_RE.test(key);

/** Keys come from our own rows, but a malformed one must never become a path or an object key. */
export function assertSha(sha256: string): void {
  if (!isSha(sha256)) {
    throw new Error(`Not a sha256 blob key: ${sha256.slice(0, 80)}`);
  }
}

export class BlobNotFoundError extends Error {
  constructor(readonly sha256: string) {
    super(`Blob ${sha256} is missing from storage.`);
    this.name = 'BlobNotFoundError';
  }
}
