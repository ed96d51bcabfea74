import { parentPort } from 'node:worker_threads';
import { serveWorkerCalls } from '../util/worker-thread.ts';
import { createFaceDetector, type DetectedSubjects, type FacePixels } from './faces.ts';

/** A call from `face-thread.ts`: faces only, or faces, objects and bodies. */
export interface FaceCall {
  pixels: FacePixels;
  all: boolean;
}

/** Detection for `face-thread.ts`; pixels arrive as a plain Uint8Array copy. */
const detector = createFaceDetector();

if (parentPort) {
  serveWorkerCalls(parentPort, async ({ pixels, all }: FaceCall): Promise<DetectedSubjects> => {
    const copy = {
      ...pixels,
      data: Buffer.from(pixels.data.buffer, pixels.data.byteOffset, pixels.data.byteLength),
    };
    if (all) return detector.detectSubjects(copy);
    return { faces: await detector.detect(copy), objects: [], bodies: [] };
  });
}
