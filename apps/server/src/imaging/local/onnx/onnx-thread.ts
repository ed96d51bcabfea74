import { WorkerThread } from '../../../util/worker-thread.ts';

export const MODEL_NAMES = ['isnet', 'esrgan-thick-4x', 'ppocr-det', 'ppocr-rec'] as const;
export type ModelName = (typeof MODEL_NAMES)[number];

export interface FloatTensor {
  data: Float32Array;
  dims: number[];
}

export interface ModelCall {
  model: ModelName;
  /** In the order of the model's inputs. */
  inputs: FloatTensor[];
  /** Outputs to fetch by name; default: all, in the model's order. */
  outputs?: string[];
}

/** How the model thread served one call: the seam that shows calls share a session and queue. */
export interface ModelRunTrace {
  /** Sessions this model's loader has built in the thread's life (1 once loaded: one shared session). */
  sessionsBuilt: number;
  /** Calls already queued or running on the thread when this one arrived. */
  callsAhead: number;
  /** Inferences running on the thread when this one started (0: one at a time). */
  runningAtStart: number;
}

export interface ModelReply {
  outputs: FloatTensor[];
  trace: ModelRunTrace;
}

const thread = new WorkerThread<ModelCall, ModelReply>(new URL('./onnx.worker.ts', import.meta.url));

/**
 * Runs a local model on the model thread. onnxruntime-node's `run` holds the calling thread for
 * the whole inference (ISNet: seconds per image on two shared cores), so on the main thread every
 * request, event stream and health check would wait; there the sessions load once and stay.
 * Calls run one at a time in arrival order: each inference already uses both cores, and two at
 * once would double the activation memory (ISNet: ~0.6 GB each) for no gain in throughput.
 */
export const runModel = async (call: ModelCall): Promise<FloatTensor[]> => (await thread.run(call)).outputs;

/** `runModel` with how the call was served (tests and the bench read it). */
export const runModelTraced = (call: ModelCall): Promise<ModelReply> => thread.run(call);
