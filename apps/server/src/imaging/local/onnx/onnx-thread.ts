import { WorkerThread } from '../../../util/worker-thread.ts';

export type ModelName = 'isnet' | 'esrgan-thick-4x' | 'ppocr-det' | 'ppocr-rec';

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

const thread = new WorkerThread<ModelCall, FloatTensor[]>(new URL('./onnx.worker.ts', import.meta.url));

/**
 * Runs a local model on the model thread. onnxruntime-node's `run` holds the calling thread for
 * the whole inference (ISNet: seconds per image on two shared cores), so on the main thread every
 * request, event stream and health check would wait; there the sessions load once and stay.
 */
export const runModel = (call: ModelCall): Promise<FloatTensor[]> => thread.run(call);
