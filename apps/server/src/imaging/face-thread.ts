import { WorkerThread } from '../util/worker-thread.ts';
import { serverBusy } from './admission.ts';
import type { FaceCall } from './face.worker.ts';
import {
  type DetectedSubjects,
  type DetectOptions,
  type FaceDetector,
  type FacePixels,
  wantsPose,
} from './faces.ts';

const entry = new URL('./face.worker.ts', import.meta.url);
/** Blazeface and MoveNet. */
const peopleThread = new WorkerThread<FaceCall, DetectedSubjects>(entry);
/** CenterNet (onnxruntime), beside the people models instead of after them. */
const objectThread = new WorkerThread<FaceCall, DetectedSubjects>(entry);

/**
 * Detections at once (running or queued on the detector threads) past which a request is refused.
 * Detections run one after another at up to a second each with the object models, and the pixel
 * budget admits hundreds of small previews at once: past this a request is told to come back
 * (503 `server_busy`) instead of waiting behind minutes of detections. Jobs are bounded by their
 * local-model slots already and always wait their turn.
 */
export const DETECTOR_QUEUE_LIMIT = 8;
let inFlight = 0;

/**
 * Faces (and a pose with them) on one thread while CenterNet runs on the other; a pose for a
 * person only CenterNet saw is asked for after (see `wantsPose`).
 */
async function allSubjects(pixels: FacePixels, detect: DetectOptions = {}): Promise<DetectedSubjects> {
  const [people, { objects }] = await Promise.all([
    peopleThread.run({ pixels, task: 'people' }),
    objectThread.run({ pixels, task: 'objects', spareCore: detect.spareCore === true }),
  ]);
  const { faces } = people;
  const late = faces.length === 0 && wantsPose(faces, objects);
  const bodies = late ? (await peopleThread.run({ pixels, task: 'bodies' })).bodies : people.bodies;
  return { faces, objects, bodies };
}

async function call<T>(refuseWhenFull: boolean, work: () => Promise<T>): Promise<T> {
  if (refuseWhenFull && inFlight >= DETECTOR_QUEUE_LIMIT) throw serverBusy(inFlight);
  inFlight++;
  try {
    return await work();
  } finally {
    inFlight--;
  }
}

const onThreads = (refuseWhenFull: boolean): Required<FaceDetector> => ({
  detect: (pixels) =>
    call(refuseWhenFull, async () => (await peopleThread.run({ pixels, task: 'faces' })).faces),
  detectSubjects: (pixels, detect) => call(refuseWhenFull, () => allSubjects(pixels, detect)),
});

/**
 * The face, object and body detector on two threads of its own: one model instance each for the
 * process. The models (blazeface, MoveNet and CenterNet on onnxruntime) load in about a second
 * and each detection runs for tens to a hundred milliseconds of synchronous work; on the
 * main thread a few exports at once would stall every other request, event stream and health
 * check meanwhile.
 * This one is for jobs (under `Admission.localModel`): it waits its turn.
 */
export const threadedFaceDetector = onThreads(false);

/** The same threads for request paths: refused with 503 past DETECTOR_QUEUE_LIMIT calls at once. */
export const requestFaceDetector = onThreads(true);
