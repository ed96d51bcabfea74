import type { FastifyBaseLogger } from 'fastify';
import { BACKGROUND_MAX_WAIT_MS, Foreground } from '../util/foreground.ts';
import type { UnderstandingService } from './understanding.service.ts';

/** How soon a newly saved image is analysed: the save itself never waits for it. */
const POLL_MS = 2_000;
/**
 * Ids are handed out before commit, so on PostgreSQL a row may become visible after a higher one was
 * seen; every so many polls the scan starts again from the beginning to pick such rows up.
 */
const RESCAN_EVERY = 60;

/**
 * Analyses new images in the background, one at a time, oldest first, each once the requests in
 * flight are answered (`Foreground`). The database says what is left (rows without analysis), so a
 * restart simply carries on where the last run stopped.
 */
export class AnalysisWorker {
  private cursor = 0;
  private polls = 0;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private readonly abort = new AbortController();

  constructor(
    private readonly understanding: UnderstandingService,
    private readonly log: FastifyBaseLogger,
    private readonly foreground = new Foreground(),
  ) {}

  start(): void {
    this.timer = setInterval(() => this.poll(), POLL_MS);
    this.timer.unref();
    this.poll();
  }

  private poll(): void {
    if (this.running || this.abort.signal.aborted) return;
    if (++this.polls % RESCAN_EVERY === 0) this.cursor = 0;
    this.running = this.drain()
      .catch((err: unknown) => {
        if (!this.abort.signal.aborted) this.log.warn({ err }, 'image analysis paused until the next poll');
      })
      .finally(() => {
        this.running = undefined;
      });
  }

  private async drain(): Promise<void> {
    for (;;) {
      const batch = await this.understanding.pending(this.cursor);
      if (batch.length === 0) return;
      for (const asset of batch) {
        await this.foreground.quiet(BACKGROUND_MAX_WAIT_MS);
        this.abort.signal.throwIfAborted();
        await this.understanding.analyze(asset, this.abort.signal);
        this.cursor = asset.id;
      }
    }
  }

  /** Resolves once every image saved so far is analysed (tests, benches). */
  async idle(): Promise<void> {
    while (!this.abort.signal.aborted) {
      if (this.running) await this.running;
      if ((await this.understanding.pending(0)).length === 0) return;
      this.cursor = 0;
      this.poll();
    }
  }

  /**
   * Shutdown: the image being analysed is abandoned and stays pending for the next start. Not waited
   * for: a blob read cannot be interrupted (a stalled store would hold the shutdown), and an aborted
   * analysis saves nothing.
   */
  stop(): void {
    clearInterval(this.timer);
    this.abort.abort(new Error('shutting down'));
  }
}
