import type { Asset } from '@studio/contracts';
import type { AssetRow } from '../db/schema.ts';
import { notFound } from '../errors.ts';
import type { AssetService } from './asset.service.ts';
import type { TrashRepository } from './trash.repository.ts';

/** Purges go in slices so one sweep never holds a huge transaction or id list. */
const PURGE_BATCH = 500;

/**
 * The trash: deleting moves an asset here, restore takes it back, purging (now, after the retention
 * days, or when the account goes) deletes the row and every blob no other row still references.
 */
export class TrashService {
  private readonly clock: () => Date;

  constructor(
    private readonly repo: TrashRepository,
    private readonly assets: AssetService,
    clock?: () => Date,
  ) {
    this.clock = clock ?? (() => new Date());
  }

  private now(): string {
    return this.clock().toISOString();
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

  /** Deletes the rows for good (the owner's only, when `userId` is given) and releases their blobs. */
  async purge(userId: number | undefined, ids: number[]): Promise<AssetRow[]> {
    const rows = await this.repo.purge(userId, ids);
    await this.assets.releaseBlobs(rows);
    return rows;
  }
}
