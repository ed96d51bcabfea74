import { Worker } from 'node:worker_threads';
import type { RawImage, RawMask } from '../raw-image.ts';
import { NoSourceTextureError, type PatchMatchOptions } from './patch-match.ts';

type Reply = { id: number } & (
  | { ok: true; data: Uint8Array }
  | { ok: false; noSourceTexture: boolean; message: string }
);

interface Task {
  id: number;
  img: RawImage;
  mask: RawMask;
  options: PatchMatchOptions;
  signal: AbortSignal | undefined;
  onAbort: () => void;
  resolve: (img: RawImage) => void;
  reject: (e: unknown) => void;
}

const BOOT = new URL('../../../util/ts-worker.mjs', import.meta.url);
const ENTRY = new URL('./patch-match.worker.ts', import.meta.url).href;

/**
 * PatchMatch on a worker thread. A large fill runs for seconds of pure JavaScript; on the main
 * thread it would stall every request, event stream and health check meanwhile. One thread, kept
 * between fills (starting one costs more than a small fill) and unreferenced while idle; fills
 * queue for it, as they are CPU-bound anyway. Aborting a fill's signal (a canceled job) drops it
 * from the queue, or terminates the thread if it is the one running; the next fill starts a new one.
 */
class PatchMatchThread {
  private worker: Worker | undefined;
  private running: Task | undefined;
  private readonly queue: Task[] = [];
  private nextId = 1;

  fill(img: RawImage, mask: RawMask, options: PatchMatchOptions, signal?: AbortSignal): Promise<RawImage> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const task: Task = {
        id: this.nextId++,
        img,
        mask,
        options,
        signal,
        onAbort: () => this.abort(task),
        resolve,
        reject,
      };
      signal?.addEventListener('abort', task.onAbort, { once: true });
      this.queue.push(task);
      this.pump();
    });
  }

  private pump(): void {
    if (this.running) return;
    const task = this.queue.shift();
    if (!task) {
      this.worker?.unref();
      return;
    }
    this.running = task;
    const worker = this.ensureWorker();
    worker.ref();
    worker.postMessage({ id: task.id, img: task.img, mask: task.mask, options: task.options });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(BOOT, { workerData: { entry: ENTRY } });
    worker.on('message', (reply: Reply) => {
      const task = this.running;
      if (!task || task.id !== reply.id) return;
      this.finish(task);
      if (reply.ok) {
        const data = Buffer.from(reply.data.buffer, reply.data.byteOffset, reply.data.byteLength);
        task.resolve({ ...task.img, data });
      } else {
        task.reject(
          reply.noSourceTexture ? new NoSourceTextureError(reply.message) : new Error(reply.message),
        );
      }
    });
    const lost = (e: Error) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      const task = this.running;
      if (task) {
        this.finish(task);
        task.reject(e);
      }
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`the fill thread stopped (exit ${code})`)));
    this.worker = worker;
    return worker;
  }

  private finish(task: Task): void {
    task.signal?.removeEventListener('abort', task.onAbort);
    if (this.running === task) {
      this.running = undefined;
      queueMicrotask(() => this.pump());
    }
  }

  private abort(task: Task): void {
    if (this.running === task) {
      const worker = this.worker;
      this.worker = undefined;
      this.finish(task);
      void worker?.terminate();
    } else {
      const i = this.queue.indexOf(task);
      if (i < 0) return;
      this.queue.splice(i, 1);
      this.finish(task);
    }
    task.reject(task.signal?.reason);
  }
}

const thread = new PatchMatchThread();

export function patchMatchFillOffThread(
  img: RawImage,
  mask: RawMask,
  options: PatchMatchOptions = {},
  signal?: AbortSignal,
): Promise<RawImage> {
  return thread.fill(img, mask, options, signal);
}
