import { parentPort } from 'node:worker_threads';
import { serveWorkerCalls } from '../util/worker-thread.ts';
import { createFaceDetector, type FacePixels } from './faces.ts';

/** Face detection for `face-thread.ts`; pixels arrive as a plain Uint8Array copy. */
const detector = createFaceDetector();

if (parentPort) {
  serveWorkerCalls(parentPort, (pixels: FacePixels) =>
    detector.detect({
      ...pixels,
      data: Buffer.from(pixels.data.buffer, pixels.data.byteOffset, pixels.data.byteLength),
    }),
  );
}
