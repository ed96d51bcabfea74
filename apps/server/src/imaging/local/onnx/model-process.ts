import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ProcessReply } from './model-process-messages.ts';
import type { FloatTensor, ModelCall } from './onnx-thread.ts';

interface Queued {
  id: number;
  call: ModelCall;
  signal: AbortSignal | undefined;
  resolve: (outputs: FloatTensor[]) => void;
  reject: (e: unknown) => void;
  onAbort: () => void;
}

const BOOT = fileURLToPath(new URL('./model-process.boot.mjs', import.meta.url));

/**
 * Runs models in a child process that a cancel can kill. onnxruntime-node cannot stop a running
 * `session.run` (RunOptions.terminate is not read by its binding) and a worker thread cannot be
 * terminated while native code runs, so a canceled ESRGAN tile would keep both cores busy for
 * seconds; here the abort SIGKILLs the child and the call rejects once it has exited, i.e. once
 * the CPU is quiet. The child starts on first use, keeps its sessions between calls, is
 * unreferenced while idle, and starts again (reloading its session) on the call after a kill.
 * Calls run one at a time in arrival order, as on the model thread; a call aborted while queued
 * leaves the queue without touching the child.
 */
export class ModelProcess {
  private child: ChildProcess | undefined;
  private current: Queued | undefined;
  private inferenceRunning = false;
  private readonly queue: Queued[] = [];
  private nextId = 1;
  private cpuMsDone = 0;
  private childCpuMs = 0;

  /** The child's pid while one is alive. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** An inference is running in the child (its session is loaded; only a kill stops it now). */
  get running(): boolean {
    return this.inferenceRunning;
  }

  /** CPU time of the model processes up to their last answer (this one's and earlier ones'). */
  get cpuMs(): number {
    return this.cpuMsDone + this.childCpuMs;
  }

  run(call: ModelCall, signal?: AbortSignal): Promise<FloatTensor[]> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const queued: Queued = {
        id: this.nextId++,
        call,
        signal,
        resolve,
        reject,
        onAbort: () => this.abort(queued),
      };
      signal?.addEventListener('abort', queued.onAbort, { once: true });
      this.queue.push(queued);
      this.pump();
    });
  }

  private pump(): void {
    if (this.current) return;
    const next = this.queue.shift();
    if (!next) {
      this.child?.unref();
      this.child?.channel?.unref();
      return;
    }
    const child = this.child ?? this.spawn();
    this.current = next;
    child.ref();
    child.channel?.ref();
    child.send({ id: next.id, call: next.call });
  }

  private abort(queued: Queued): void {
    const i = this.queue.indexOf(queued);
    if (i >= 0) {
      this.queue.splice(i, 1);
      this.settle(queued, () => queued.reject(queued.signal?.reason));
    } else if (this.current === queued) {
      // Settled by the exit handler, once the process is gone.
      this.child?.kill('SIGKILL');
    }
  }

  private settle(queued: Queued, how: () => void): void {
    queued.signal?.removeEventListener('abort', queued.onAbort);
    how();
  }

  private spawn(): ChildProcess {
    const child = fork(BOOT, [], { serialization: 'advanced', execArgv: [] });
    this.childCpuMs = 0;
    child.on('message', (message: unknown) => {
      const parsed = ProcessReply.safeParse(message);
      // A child that answers out of protocol cannot be trusted with the next call.
      if (!parsed.success) {
        child.kill('SIGKILL');
        return;
      }
      const reply = parsed.data;
      const call = this.current;
      if (this.child !== child || call?.id !== reply.id) return;
      if (reply.kind === 'running') {
        this.inferenceRunning = true;
        return;
      }
      this.inferenceRunning = false;
      this.current = undefined;
      if (reply.kind === 'done') {
        this.childCpuMs = reply.cpuMs;
        this.settle(call, () => call.resolve(reply.outputs));
      } else {
        this.settle(call, () => call.reject(new Error(reply.message)));
      }
      this.pump();
    });
    const gone = (why: string) => {
      if (this.child !== child) return;
      this.child = undefined;
      this.cpuMsDone += this.childCpuMs;
      this.childCpuMs = 0;
      this.inferenceRunning = false;
      const call = this.current;
      this.current = undefined;
      if (call) {
        const aborted = call.signal?.aborted;
        this.settle(call, () =>
          call.reject(aborted ? call.signal?.reason : new Error(`the model process stopped (${why})`)),
        );
      }
      this.pump();
    };
    child.on('exit', (code, signal) => gone(signal ?? `exit ${code}`));
    // Failing to start or to send: make sure it is gone; a child that never started has no exit.
    child.on('error', (e) => {
      if (child.pid === undefined) gone(e.message);
      else child.kill('SIGKILL');
    });
    this.child = child;
    return child;
  }
}

/** The one model process of this server (ESRGAN runs here; see super-resolution.ts). */
export const modelProcess = new ModelProcess();
