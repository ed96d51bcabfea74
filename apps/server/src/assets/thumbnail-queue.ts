import { BACKGROUND_MAX_WAIT_MS, Foreground } from '../util/foreground.ts';

interface Job {
  run: () => Promise<void>;
  done?: Promise<void>;
}

/**
 * Thumbnail work deferred past a response, a few jobs at a time (each is mostly one WebP encode on
 * one core), each started once the requests in flight are answered (`Foreground`). Keyed by asset
 * id: a reader that needs a thumbnail still pending joins its job (or runs it at once if it has not
 * started) instead of making it twice.
 */
export class ThumbnailQueue {
  private readonly jobs = new Map<number, Job>();
  private readonly waiting: number[] = [];
  private active = 0;
  private yielding = false;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly onError: (assetId: number, error: unknown) => void,
    private readonly concurrency = 2,
    private readonly foreground = new Foreground(),
  ) {}

  enqueue(assetId: number, work: () => Promise<void>): void {
    if (this.jobs.has(assetId)) return;
    this.jobs.set(assetId, { run: work });
    this.waiting.push(assetId);
    this.pump();
  }

  /** Runs (or joins) the pending job for an asset; false when there was none. */
  async settle(assetId: number): Promise<boolean> {
    const job = this.jobs.get(assetId);
    if (!job) return false;
    await this.start(assetId, job);
    return true;
  }

  /**
   * Shutdown: drops the jobs not started yet (their rows keep null thumbnails, which the next start
   * resumes) and waits for the running ones.
   */
  async stop(): Promise<void> {
    for (const id of this.waiting.splice(0)) {
      const job = this.jobs.get(id);
      if (job && !job.done) this.jobs.delete(id);
    }
    if (this.jobs.size === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
    await this.idle();
  }

  /** Resolves when every queued job has finished (tests, benches). */
  idle(): Promise<void> {
    if (this.jobs.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    if (this.yielding) return;
    if (this.foreground.busy && this.waiting.length > 0 && this.active < this.concurrency) {
      this.yielding = true;
      void this.foreground.quiet(BACKGROUND_MAX_WAIT_MS).then(() => {
        this.yielding = false;
        this.startWaiting();
      });
      return;
    }
    this.startWaiting();
  }

  private startWaiting(): void {
    while (this.active < this.concurrency) {
      const id = this.waiting.shift();
      if (id === undefined) return;
      const job = this.jobs.get(id);
      if (job && !job.done) void this.start(id, job);
    }
  }

  private start(assetId: number, job: Job): Promise<void> {
    if (!job.done) {
      this.active++;
      job.done = job
        .run()
        .catch((e: unknown) => this.onError(assetId, e))
        .finally(() => {
          this.active--;
          this.jobs.delete(assetId);
          this.pump();
          if (this.jobs.size === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
        });
    }
    return job.done;
  }
}
