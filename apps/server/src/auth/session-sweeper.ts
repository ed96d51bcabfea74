import type { FastifyBaseLogger } from 'fastify';

const HOUR_MS = 3_600_000;

/** What the sweeper needs (AuthService in the app). */
export interface ExpiredSessionDeleter {
  deleteExpiredSessions(): Promise<number>;
}

/**
 * Deletes expired sessions shortly after start and then every hour, so the table holds only sessions
 * that can still sign someone in. The timer is unref'd; `stop()` waits for a sweep that is running.
 */
export class SessionSweeper {
  private timer?: NodeJS.Timeout;
  private first?: NodeJS.Immediate;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly auth: ExpiredSessionDeleter,
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
      const deleted = await this.auth.deleteExpiredSessions();
      if (deleted > 0) {
        this.log.info({ deleted }, 'deleted expired sessions');
      }
    } catch (e) {
      this.log.error({ err: e }, 'session sweep failed');
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    clearImmediate(this.first);
    await this.running;
  }
}
