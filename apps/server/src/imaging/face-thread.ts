import { WorkerThread } from '../util/worker-thread.ts';
import type { FaceBox, FaceDetector, FacePixels } from './faces.ts';

const thread = new WorkerThread<FacePixels, FaceBox[]>(new URL('./face.worker.ts', import.meta.url));

/**
 * The face detector on its own thread. The model (tfjs on wasm) loads for about a second and
 * each detection runs for a few hundred milliseconds of synchronous work; on the main thread a
 * few exports at once would stall every other request, event stream and health check meanwhile.
 */
export const threadedFaceDetector: FaceDetector = {
  detect: (pixels) => thread.run(pixels),
};
