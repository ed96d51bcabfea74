import { WorkerThread } from '../util/worker-thread.ts';
import type { FaceCall } from './face.worker.ts';
import type { DetectedSubjects, FaceDetector } from './faces.ts';

const thread = new WorkerThread<FaceCall, DetectedSubjects>(new URL('./face.worker.ts', import.meta.url));

/**
 * The face, object and body detector on its own thread: one model instance for the process. The
 * models (tfjs on wasm) load for about two seconds and each detection runs for a few hundred
 * milliseconds (faces) to a second (all three) of synchronous work; on the main thread a few
 * exports at once would stall every other request, event stream and health check meanwhile.
 */
export const threadedFaceDetector: Required<FaceDetector> = {
  detect: async (pixels) => (await thread.run({ pixels, all: false })).faces,
  detectSubjects: (pixels) => thread.run({ pixels, all: true }),
};
