import { WorkerThread } from '../util/worker-thread.ts';
import { serverBusy } from './admission.ts';
import type { FaceCall } from './face.worker.ts';
import type { DetectedSubjects, FaceDetector } from './faces.ts';

const thread = new WorkerThread<FaceCall, DetectedSubjects>(new URL('./face.worker.ts', import.meta.url));

/**
 * Calls admitted to the detector thread at once (running or queued there). They run one after
 * another at up to a second each with the object models, and the pixel budget admits hundreds of
 * small previews at once: past this, a caller is told to come back (503 `server_busy`) instead of
 * waiting behind minutes of detections.
 */
export const DETECTOR_QUEUE_LIMIT = 8;
let admitted = 0;

async function call(request: FaceCall): Promise<DetectedSubjects> {
  if (admitted >= DETECTOR_QUEUE_LIMIT) throw serverBusy(admitted);
  admitted++;
  try {
    return await thread.run(request);
  } finally {
    admitted--;
  }
}

/**
 * The face, object and body detector on its own thread: one model instance for the process. The
 * models (tfjs on wasm) load for a few seconds and each detection runs for a few hundred
 * milliseconds (faces) to a second (all three) of synchronous work; on the main thread a few
 * exports at once would stall every other request, event stream and health check meanwhile.
 */
export const threadedFaceDetector: Required<FaceDetector> = {
  detect: async (pixels) => (await call({ pixels, all: false })).faces,
  detectSubjects: (pixels) => call({ pixels, all: true }),
};
