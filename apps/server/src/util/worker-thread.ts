import { Worker } from 'node:worker_threads';

type Reply<R> = { id: number } & ({ ok: true; value: R } | { ok: false; message: string });

interface Pending<R> {
  resolve: (value: R) => void;
  reject: (e: unknown) => void;
}

const BOOT = new URL('./ts-worker.mjs', import.meta.url);

/**
 * Calls into one TypeScript worker thread (entry: a module answering `{id, request}` messages with
 * `{id, ok, value | message}`), so CPU-bound JavaScript runs beside the event loop instead of on
 * it. The thread starts on first use, is kept between calls and unreferenced while idle; if it
 * dies, the calls in flight fail and the next call starts a new one.
 */
export class WorkerThread<Q, R> {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending<R>>();
  private nextId = 1;

  constructor(private readonly entry: URL) {}

  run(request: Q): Promise<R> {
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise<R>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage({ id, request });
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(BOOT, { workerData: { entry: this.entry.href } });
    worker.on('message', (reply: Reply<R>) => {
      const call = this.pending.get(reply.id);
      if (!call) return;
      this.pending.delete(reply.id);
      if (this.pending.size === 0) worker.unref();
      if (reply.ok) call.resolve(reply.value);
      else call.reject(new Error(reply.message));
    });
    const lost = (e: Error) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      for (const call of this.pending.values()) call.reject(e);
      this.pending.clear();
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`the worker thread stopped (exit ${code})`)));
    this.worker = worker;
    return worker;
  }
}

/** The worker side: answers each `{id, request}` with `handle`'s result or its error message. */
export function serveWorkerCalls<Q, R>(
  port: {
    on(event: 'message', f: (m: { id: number; request: Q }) => void): void;
    postMessage(m: unknown): void;
  },
  handle: (request: Q) => Promise<R>,
): void {
  port.on('message', ({ id, request }) => {
    handle(request).then(
      (value) => port.postMessage({ id, ok: true, value }),
      (e: unknown) =>
        port.postMessage({ id, ok: false, message: e instanceof Error ? e.message : String(e) }),
    );
  });
}
