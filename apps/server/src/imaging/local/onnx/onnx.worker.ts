import { parentPort } from 'node:worker_threads';
import { serveWorkerCalls } from '../../../util/worker-thread.ts';
import { infer, sessionLoader } from './inference.ts';
import type { ModelCall, ModelReply } from './onnx-thread.ts';

// The model thread of `onnx-thread.ts`: each session loads on first use and stays.
let queue: Promise<unknown> = Promise.resolve();
let pending = 0;
let running = 0;

/** One inference at a time, in arrival order (see `runModel`). */
function run(call: ModelCall): Promise<ModelReply> {
  const callsAhead = pending;
  pending++;
  const reply = queue.then(async (): Promise<ModelReply> => {
    const runningAtStart = running;
    running++;
    try {
      const outputs = await infer(call);
      const sessionsBuilt = (await sessionLoader(call.model)).built;
      return { outputs, trace: { sessionsBuilt, callsAhead, runningAtStart } };
    } finally {
      running--;
      pending--;
    }
  });
  queue = reply.catch(() => undefined);
  return reply;
}

if (parentPort) serveWorkerCalls(parentPort, run);
