import type { FastifyBaseLogger } from 'fastify';
import { PeriodicTask } from './periodic-task.ts';

const HOUR_MS = 3_600_000;

/** What the sweeper needs of the library (TrashService in the app). */
export interface TrashPurger {
  purgeExpired(retentionDays: number): Promise<number>;
}

/** Purges trash older than the retention period: once shortly after start, then every hour. */
export class TrashSweeper {
  private readonly task: PeriodicTask;

  constructor(
    private readonly library: TrashPurger,
    private readonly retentionDays: number,
    private readonly log: FastifyBaseLogger,
    intervalMs = HOUR_MS,
  ) {
    this.task = new PeriodicTask(() => this.sweep(), intervalMs);
  }

  start(): void {
    this.task.start();
  }

  async sweep(): Promise<void> {
    try {
      const purged = await this.library.purgeExpired(this.retentionDays);
      if (purged > 0) {
        this.log.info({ purged, retentionDays: this.retentionDays }, 'purged expired trash');
      }
    } catch (e) {
      this.log.error({ err: e }, 'trash sweep failed');
    }
  }

  stop(): Promise<void> {
    return this.task.stop();
  }
}
