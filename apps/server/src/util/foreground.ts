/**
 * Requests a client is waiting on, so background work (thumbnails, image analysis) starts after
 * them instead of beside them: on two cores, the thumbnails of an export's first outputs made while
 * the rest were still being saved and sent added about a fifth to its answer. Background work waits
 * at most `maxWaitMs` per start, so a steady stream of requests slows it but never stops it.
 */
export class Foreground {
  private active = 0;
  private readonly waiters = new Set<() => void>();

  /** A request began; the function returned ends it (once, however often it is called). */
  begin(): () => void {
    this.active++;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.active--;
      if (this.active === 0) for (const wake of [...this.waiters]) wake();
    };
  }

  get busy(): boolean {
    return this.active > 0;
  }

  /** Resolves once no request is in flight, or after `maxWaitMs`, whichever comes first. */
  quiet(maxWaitMs: number): Promise<void> {
    if (this.active === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, maxWaitMs);
      timer.unref();
      this.waiters.add(wake);
    });
  }
}

/** How long one piece of background work waits for the requests in flight before it starts anyway. */
export const BACKGROUND_MAX_WAIT_MS = 2_000;
