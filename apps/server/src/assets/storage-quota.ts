import { AppError } from '../errors.ts';

/** Bytes a user's images occupy as of their newest row `maxId` (0 when they have none). */
export interface StorageMark {
  used: number;
  maxId: number;
}

/** What the quota reads about one user, on the connection (or transaction) it is checked in. */
export interface StorageReads {
  /** Exact: each distinct image once, trash included. Reads every row of the user. */
  total(): Promise<StorageMark>;
  /** Every row newer than `afterId`, duplicates too (an upper bound of what they add). */
  since(afterId: number): Promise<StorageMark>;
  /** Which of these images the user already keeps (trash included). */
  owned(shas: string[]): Promise<Set<string>>;
}

export const storageQuotaExceeded = (details: { used: number; limit: number; needed: number }) =>
  new AppError(
    413,
    'storage_quota_exceeded',
    `This needs ${mb(details.needed)} but only ${mb(Math.max(0, details.limit - details.used))} of ` +
      `your ${mb(details.limit)} storage is free. Delete images (and empty the trash) to make room.`,
    details,
  );

/**
 * The storage quota's check. Counting a user's usage exactly reads all their rows (100,000 in
 * bench:assets), too slow for every save and, on SQLite, inside the write lock. So each user has a
 * remembered upper bound: the last exact count plus every row added since. "Since" is by id: ids are
 * never reused (AUTOINCREMENT, serial) and one user's inserts run one at a time under the quota's
 * lock, so a row committed later always has a newer id; deletions only lower the true usage. A save
 * that fits under the bound is admitted after reading only the rows added since; a save near the
 * limit counts exactly. Each process keeps its own bounds; rows other processes add are read like
 * any other.
 */
export class StorageQuota {
  private readonly bounds = new Map<number, StorageMark>();

  /** Refuses images that would take the user past `limit`; images they already keep cost nothing. */
  async admit(
    userId: number,
    images: ReadonlyMap<string, number>,
    limit: number,
    reads: StorageReads,
  ): Promise<void> {
    const owned = await reads.owned([...images.keys()]);
    let needed = 0;
    for (const [sha, size] of images) if (!owned.has(sha)) needed += size;
    if (needed === 0) return;
    const known = this.bounds.get(userId);
    if (known) {
      const added = await reads.since(known.maxId);
      const bound = { used: known.used + added.used, maxId: Math.max(known.maxId, added.maxId) };
      this.bounds.set(userId, bound);
      if (bound.used + needed <= limit) return;
    }
    const exact = await reads.total();
    this.bounds.set(userId, exact);
    if (exact.used + needed > limit) {
      throw storageQuotaExceeded({ used: exact.used, limit, needed });
    }
  }
}

const mb = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
