import { Worker } from 'node:worker_threads';
import type { FillJob } from './fill-jobs.ts';
import type { RemoteJob } from './patch-match.ts';

type Reply = { id: number } & ({ ok: true } | { ok: false; message: string });

const BOOT = new URL('../../../util/ts-worker.mjs', import.meta.url);
const ENTRY = new URL('./split-job.worker.ts', import.meta.url).href;

/**
 * The fill thread's own helper thread, so a large fill uses both cores: started on first use,
 * kept (unreferenced) for the next fill. It only ever works on a half step the fill thread hands it
 * and waits for; when the fill thread is terminated (a canceled fill) it goes with it.
 */
export class SplitHelper {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();

  readonly run: RemoteJob = (job: FillJob) =>
    new Promise<void>((resolve, reject) => {
      const id = this.nextId++;
      this.pending.set(id, { resolve, reject });
      const worker = this.ensureWorker();
      worker.ref();
      worker.postMessage({ id, job });
    });

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(BOOT, { workerData: { entry: ENTRY } });
    worker.on('message', (reply: Reply) => {
      const waiting = this.pending.get(reply.id);
      if (!waiting) return;
      this.pending.delete(reply.id);
      if (!this.pending.size) worker.unref();
      if (reply.ok) waiting.resolve();
      else waiting.reject(new Error(reply.message));
    });
    const lost = (e: Error) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      for (const waiting of this.pending.values()) waiting.reject(e);
      this.pending.clear();
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`the fill's helper thread stopped (exit ${code})`)));
    this.worker = worker;
    return worker;
  }
}
