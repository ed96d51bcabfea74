import { parentPort } from 'node:worker_threads';
import ort from 'onnxruntime-node';
import { serveWorkerCalls } from '../../../util/worker-thread.ts';
import { isnet } from '../background-removal.ts';
import { ppocrDetection, ppocrRecognition } from '../ocr/ocr-models.ts';
import { esrganThick4x } from '../super-resolution.ts';
import type { FloatTensor, ModelCall, ModelName, ModelReply } from './onnx-thread.ts';
import type { SessionLoader } from './session-loader.ts';

/** The model thread of `onnx-thread.ts`: each session loads on first use and stays. */
const MODELS: Record<ModelName, SessionLoader> = {
  isnet,
  'esrgan-thick-4x': esrganThick4x,
  'ppocr-det': ppocrDetection,
  'ppocr-rec': ppocrRecognition,
};

async function infer({ model, inputs, outputs }: ModelCall): Promise<FloatTensor[]> {
  const session = await MODELS[model].load();
  const feeds: Record<string, ort.Tensor> = {};
  session.inputNames.forEach((name, i) => {
    const t = inputs[i];
    if (t) feeds[name] = new ort.Tensor('float32', t.data, t.dims);
  });
  const names = outputs ?? session.outputNames;
  const result = await session.run(feeds, names);
  for (const t of Object.values(feeds)) t.dispose();
  return names.map((name) => {
    const t = result[name];
    if (!t) throw new Error(`${model} has no output "${name}"`);
    // Copied out of onnxruntime's memory before the tensor is released.
    const out = { data: Float32Array.from(t.data as Float32Array), dims: [...t.dims] };
    t.dispose();
    return out;
  });
}

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
      return { outputs, trace: { sessionsBuilt: MODELS[call.model].built, callsAhead, runningAtStart } };
    } finally {
      running--;
      pending--;
    }
  });
  queue = reply.catch(() => undefined);
  return reply;
}

if (parentPort) serveWorkerCalls(parentPort, run);
