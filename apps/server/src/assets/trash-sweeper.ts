import type { FastifyBaseLogger } from 'fastify';

const HOUR_MS = 3_600_000;

/** What the sweeper needs of the library (LibraryService in the app). */
export interface TrashPurger {
  purgeExpired(retentionDays: number): Promise<number>;
}

/**
 * Purges trash older than the retention period: once shortly after start, then every hour. The timer
 * is unref'd so it never keeps a process alive; `stop()` waits for a sweep that is running.
 */
export class TrashSweeper {
  private timer?: NodeJS.Timeout;
  private first?: NodeJS.Immediate;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly library: TrashPurger,
    private readonly retentionDays: number,
    private readonly log: FastifyBaseLogger,
    private readonly intervalMs = HOUR_MS,
  ) {}

  start(): void {
    const tick = () => {
      this.running = this.sweep();
    };
    this.timer = setInterval(tick, this.intervalMs);
    this.timer.unref();
    this.first = setImmediate(tick).unref();
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

  async stop(): Promise<void> {
    clearInterval(this.timer);
    clearImmediate(this.first);
    await this.running;
  }
}
