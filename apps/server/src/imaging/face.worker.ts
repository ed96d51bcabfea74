import { parentPort } from 'node:worker_threads';
import { serveWorkerCalls } from '../util/worker-thread.ts';
import { createSubjectParts, type DetectedSubjects, type FacePixels } from './faces.ts';

/**
 * A call from `face-thread.ts`. `people`: faces, and a pose when a face was found; `objects`:
 * CenterNet; `faces`, `bodies`: that model alone. A thread is asked either for people's models or
 * for objects, and loads only those.
 */
export interface FaceCall {
  pixels: FacePixels;
  task: 'faces' | 'people' | 'bodies' | 'objects';
}

const people = createSubjectParts({ models: { faces: true, objects: false, bodies: true } });
const objects = createSubjectParts({ models: { faces: false, objects: true, bodies: false } });

async function run(pixels: FacePixels, task: FaceCall['task']): Promise<DetectedSubjects> {
  const none: DetectedSubjects = { faces: [], objects: [], bodies: [] };
  if (task === 'objects') return { ...none, objects: await objects.objects(pixels) };
  if (task === 'bodies') return { ...none, bodies: await people.bodies(pixels) };
  const faces = await people.faces(pixels);
  const bodies = task === 'people' && faces.length > 0 ? await people.bodies(pixels) : [];
  return { ...none, faces, bodies };
}

if (parentPort) {
  serveWorkerCalls(parentPort, ({ pixels, task }: FaceCall) =>
    run(
      { ...pixels, data: Buffer.from(pixels.data.buffer, pixels.data.byteOffset, pixels.data.byteLength) },
      task,
    ),
  );
}
