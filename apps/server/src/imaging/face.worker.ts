import { parentPort } from 'node:worker_threads';
import { serveWorkerCalls } from '../util/worker-thread.ts';
import { createSubjectParts, type DetectedSubjects, type FacePixels } from './faces.ts';

/**
 * A call from `face-thread.ts`. `people`: faces, and a pose when a face was found; `objects`:
 * CenterNet (onnxruntime); `faces`, `bodies`: that model alone. A thread is asked either for
 * people's models or for objects, and loads only those: every model loads on its first call.
 */
export interface FaceCall {
  pixels: FacePixels;
  task: 'faces' | 'people' | 'bodies' | 'objects';
  /** For `objects`: CenterNet may take the second core (see `DetectOptions`). */
  spareCore?: boolean;
}

const parts = createSubjectParts();

async function run({ pixels, task, spareCore }: FaceCall): Promise<DetectedSubjects> {
  const none: DetectedSubjects = { faces: [], objects: [], bodies: [] };
  if (task === 'objects') {
    return { ...none, objects: await parts.objects(pixels, { spareCore: spareCore === true }) };
  }
  if (task === 'bodies') return { ...none, bodies: await parts.bodies(pixels) };
  const faces = await parts.faces(pixels);
  const bodies = task === 'people' && faces.length > 0 ? await parts.bodies(pixels) : [];
  return { ...none, faces, bodies };
}

if (parentPort) {
  serveWorkerCalls(parentPort, (call: FaceCall) =>
    run({
      ...call,
      pixels: {
        ...call.pixels,
        data: Buffer.from(call.pixels.data.buffer, call.pixels.data.byteOffset, call.pixels.data.byteLength),
      },
    }),
  );
}
