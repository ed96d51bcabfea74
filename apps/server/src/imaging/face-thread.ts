import { WorkerThread } from '../util/worker-thread.ts';
import { serverBusy } from './admission.ts';
import type { FaceCall } from './face.worker.ts';
import type { DetectedSubjects, FaceDetector } from './faces.ts';

const thread = new WorkerThread<FaceCall, DetectedSubjects>(new URL('./face.worker.ts', import.meta.url));

/**
 * Calls on the detector thread at once (running or queued there) past which a request is refused.
 * Detections run one after another at up to a second each with the object models, and the pixel
 * budget admits hundreds of small previews at once: past this a request is told to come back
 * (503 `server_busy`) instead of waiting behind minutes of detections. Jobs are bounded by their
 * local-model slots already and always wait their turn.
 */
export const DETECTOR_QUEUE_LIMIT = 8;
let inFlight = 0;

async function call(request: FaceCall, refuseWhenFull: boolean): Promise<DetectedSubjects> {
  if (refuseWhenFull && inFlight >= DETECTOR_QUEUE_LIMIT) throw serverBusy(inFlight);
  inFlight++;
  try {
    return await thread.run(request);
  } finally {
    inFlight--;
  }
}

const onThread = (refuseWhenFull: boolean): Required<FaceDetector> => ({
  detect: async (pixels) => (await call({ pixels, all: false }, refuseWhenFull)).faces,
  detectSubjects: (pixels) => call({ pixels, all: true }, refuseWhenFull),
});

/**
 * The face, object and body detector on its own thread: one model instance for the process. The
 * models (tfjs on wasm) load for a few seconds and each detection runs for a few hundred
 * milliseconds (faces) to a second (all three) of synchronous work; on the main thread a few
 * exports at once would stall every other request, event stream and health check meanwhile.
 * This one is for jobs (under `Admission.localModel`): it waits its turn.
 */
export const threadedFaceDetector = onThread(false);

/** The same thread for request paths: refused with 503 past DETECTOR_QUEUE_LIMIT calls at once. */
export const requestFaceDetector = onThread(true);
