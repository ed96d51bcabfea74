import type { FastifyBaseLogger } from 'fastify';
import type { BlobStore } from '../storage/blob-store.ts';
import { PeriodicTask } from './periodic-task.ts';

const HOUR_MS = 3_600_000;
const BATCH = 200;

/** What the sweep needs of the asset rows (AssetService in the app). */
export interface OrphanReleaser {
  /** Deletes those of these blobs no asset row references; returns how many went. */
  deleteOrphans(shas: string[]): Promise<number>;
}

export interface OrphanSweeperOptions {
  graceMinutes: number;
  intervalMs?: number;
  clock?: () => Date;
}

/**
 * Deletes blobs no asset row references once they are older than the grace period: what a crash
 * between a blob write and its row's commit left behind, or a cleanup that failed with storage or
 * the database down. The grace period spares blobs whose row is still being written; the deletion
 * itself re-checks references under the blob's lock (AssetRepository). Runs at start, then hourly.
 */
export class OrphanSweeper {
  private readonly task: PeriodicTask;
  private readonly clock: () => Date;

  constructor(
    private readonly blobs: Pick<BlobStore, 'list' | 'removePartial'>,
    private readonly assets: OrphanReleaser,
    private readonly log: FastifyBaseLogger,
    private readonly options: OrphanSweeperOptions,
  ) {
    this.clock = options.clock ?? (() => new Date());
    this.task = new PeriodicTask(async () => {
      try {
        await this.sweep();
      } catch (e) {
        this.log.error({ err: e }, 'orphan blob sweep failed');
      }
    }, options.intervalMs ?? HOUR_MS);
  }

  start(): void {
    this.task.start();
  }

  stop(): Promise<void> {
    return this.task.stop();
  }

  /** One pass; returns how many orphan blobs and partial writes it removed. */
  async sweep(): Promise<{ blobs: number; partial: number }> {
    const cutoff = new Date(this.clock().getTime() - this.options.graceMinutes * 60_000);
    let deleted = 0;
    let batch: string[] = [];
    for await (const blob of this.blobs.list()) {
      if (blob.modifiedAt >= cutoff) continue;
      batch.push(blob.sha256);
      if (batch.length >= BATCH) {
        deleted += await this.assets.deleteOrphans(batch);
        batch = [];
      }
    }
    deleted += await this.assets.deleteOrphans(batch);
    const partial = await this.blobs.removePartial(cutoff);
    if (deleted + partial > 0) {
      this.log.warn(
        { blobs: deleted, partial, graceMinutes: this.options.graceMinutes },
        'removed orphan blobs',
      );
    }
    return { blobs: deleted, partial };
  }
}
