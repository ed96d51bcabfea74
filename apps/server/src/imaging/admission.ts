import { AppError } from '../errors.ts';

export interface AdmissionLimits {
  /** Pixels decoded, processed or encoded at once, by requests and local-model jobs together. */
  pixelBudget: number;
  /** Local-model jobs running at once. */
  localModelConcurrency: number;
  /** How long a request waits for room before it is told to come back. */
  queueMs: number;
}

interface Waiter {
  pixels: number;
  grant: () => void;
}

export const serverBusy = (retryAfterSeconds: number) =>
  new AppError(
    503,
    'server_busy',
    `The server is busy with other images; try again in ${retryAfterSeconds} s.`,
    { retry_after: retryAfterSeconds },
    { 'retry-after': String(retryAfterSeconds) },
  );

/**
 * One budget of pixels in flight for all image work in this process, so a crowd of large images
 * waits its turn instead of running the process out of memory. Waiters are served in arrival order
 * (a large image is not starved by a stream of small ones); work larger than the whole budget runs
 * alone. Requests wait `queueMs` and then get 503 `server_busy` with Retry-After; jobs wait until
 * admitted or canceled. Local models also take one of `localModelConcurrency` slots first, so
 * jobs that only wait on a cloud provider never queue behind them.
 */
export class Admission {
  private inFlight = 0;
  /** Requests and jobs holding pixels now. */
  private holders = 0;
  private readonly waiting: Waiter[] = [];
  private modelsRunning = 0;
  private readonly modelWaiting: Array<() => void> = [];

  constructor(private readonly limits: AdmissionLimits) {}

  /** Pixels currently admitted (for tests and diagnostics). */
  get pixelsInFlight(): number {
    return this.inFlight;
  }

  /**
   * Request work: runs once `pixels` fit, or fails with 503 after the queue wait. `alone`: no other
   * request or job held pixels when this work was admitted, so the cores are free for it to use.
   */
  async request<T>(pixels: number, work: (alone: boolean) => Promise<T>): Promise<T> {
    const held = await this.acquire(pixels, undefined, this.limits.queueMs);
    try {
      return await work(this.holders === 1);
    } finally {
      this.release(held);
    }
  }

  /** A local model in a job: one model slot, then `pixels` of the budget; `signal` gives up waiting. */
  async localModel<T>(pixels: number, signal: AbortSignal | undefined, work: () => Promise<T>): Promise<T> {
    await this.acquireModelSlot(signal);
    try {
      const held = await this.acquire(pixels, signal, undefined);
      try {
        return await work();
      } finally {
        this.release(held);
      }
    } finally {
      this.releaseModelSlot();
    }
  }

  private acquire(pixels: number, signal: AbortSignal | undefined, timeoutMs: number | undefined) {
    const want = Math.min(this.limits.pixelBudget, Math.max(1, Math.ceil(pixels)));
    if (this.waiting.length === 0 && this.inFlight + want <= this.limits.pixelBudget) {
      this.inFlight += want;
      this.holders++;
      return Promise.resolve(want);
    }
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<number>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const leave = (error: unknown) => {
        const i = this.waiting.indexOf(waiter);
        if (i < 0) return;
        this.waiting.splice(i, 1);
        cleanup();
        reject(error);
        this.pump();
      };
      const onAbort = () => leave(signal?.reason);
      const cleanup = () => {
        if (timer) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      const waiter: Waiter = {
        pixels: want,
        grant: () => {
          cleanup();
          resolve(want);
        },
      };
      this.waiting.push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => leave(serverBusy(this.retryAfterSeconds())), timeoutMs);
      }
    });
  }

  private release(pixels: number): void {
    this.inFlight -= pixels;
    this.holders--;
    this.pump();
  }

  private pump(): void {
    for (let next = this.waiting[0]; next; next = this.waiting[0]) {
      if (this.inFlight + next.pixels > this.limits.pixelBudget) return;
      this.waiting.shift();
      this.inFlight += next.pixels;
      this.holders++;
      next.grant();
    }
  }

  private acquireModelSlot(signal: AbortSignal | undefined): Promise<void> {
    if (this.modelWaiting.length === 0 && this.modelsRunning < this.limits.localModelConcurrency) {
      this.modelsRunning++;
      return Promise.resolve();
    }
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        const i = this.modelWaiting.indexOf(grant);
        if (i >= 0) this.modelWaiting.splice(i, 1);
        reject(signal?.reason);
      };
      const grant = () => {
        signal?.removeEventListener('abort', onAbort);
        this.modelsRunning++;
        resolve();
      };
      this.modelWaiting.push(grant);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private releaseModelSlot(): void {
    this.modelsRunning--;
    if (this.modelsRunning < this.limits.localModelConcurrency) this.modelWaiting.shift()?.();
  }

  /** A client told to come back should find room by then: about one queue wait. */
  private retryAfterSeconds(): number {
    return Math.max(1, Math.ceil(this.limits.queueMs / 1000));
  }
}
