import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { hasRealPhotos, realPhoto } from '../../../../../test/support/real-photos.ts';
import { cutOut, foregroundMask, ISNET_SIZE, removeBackground } from './background-removal.ts';
import { runModelTraced } from './onnx/onnx-thread.ts';
import { packageDir } from './package-dir.ts';
import type { RawImage } from './raw-image.ts';
import { edgeErrors, knownAlphaScene } from './testing/known-alpha.ts';
import { meanAlpha } from './testing/metrics.ts';
import { productScene } from './testing/synthetic-images.ts';

// ISNet always runs at 1024²: several seconds per image on two shared cores.
const MODEL_TIMEOUT = 180_000;

describe('background removal (ISNet via onnxruntime-node)', () => {
  it(
    'keeps a shaded product opaque and makes the backdrop transparent',
    async () => {
      const scene = await productScene();
      const rgba: RawImage = { data: Buffer.alloc(512 * 512 * 4), width: 512, height: 512, channels: 4 };
      for (let i = 0; i < 512 * 512; i++) {
        scene.data.copy(rgba.data, i * 4, i * 3, i * 3 + 3);
        rgba.data[i * 4 + 3] = i < 512 * 4 ? 0 : 255;
      }
      const out = await removeBackground(rgba);
      expect([out.width, out.height, out.channels]).toEqual([512, 512, 4]);
      expect(out.data.subarray(0, 3).equals(rgba.data.subarray(0, 3))).toBe(true);
      // Bottle body (shaded glass, label, lettering) and cap, kept clear of the anti-aliased edges.
      expect(meanAlpha(out, 210, 180, 92, 250)).toBeGreaterThan(235);
      expect(meanAlpha(out, 230, 70, 52, 28)).toBeGreaterThan(200);
      // Backdrop either side of the bottle, above it, and the floor with its soft shadow.
      expect(meanAlpha(out, 20, 20, 150, 470)).toBeLessThan(10);
      expect(meanAlpha(out, 350, 20, 140, 470)).toBeLessThan(10);
      expect(meanAlpha(out, 200, 8, 112, 40)).toBeLessThan(20);
      expect(meanAlpha(out, 100, 470, 312, 40)).toBeLessThan(25);
      // Input alpha is respected: the transparent first rows stay transparent.
      expect(meanAlpha(out, 0, 0, 512, 4)).toBe(0);
    },
    MODEL_TIMEOUT,
  );

  it(
    'cuts a person out of a real photo shipped in an installed package',
    async () => {
      // The first thumbnail of @vladmandic/human's samples.jpg: a standing figure on a plain backdrop.
      const photo = join(packageDir('@vladmandic/human'), 'assets', 'samples.jpg');
      const data = await sharp(photo)
        .extract({ left: 0, top: 0, width: 158, height: 158 })
        .removeAlpha()
        .raw()
        .toBuffer();
      const out = await removeBackground({ data, width: 158, height: 158, channels: 3 });
      expect(meanAlpha(out, 70, 45, 16, 40)).toBeGreaterThan(200);
      expect(meanAlpha(out, 4, 4, 30, 30)).toBeLessThan(15);
      expect(meanAlpha(out, 124, 100, 30, 50)).toBeLessThan(15);
    },
    MODEL_TIMEOUT,
  );

  it(
    'serves two concurrent calls with one session, one inference at a time',
    async () => {
      const call = () =>
        runModelTraced({
          model: 'isnet',
          inputs: [
            { data: new Float32Array(3 * ISNET_SIZE * ISNET_SIZE), dims: [1, 3, ISNET_SIZE, ISNET_SIZE] },
          ],
          outputs: ['output'],
        });
      const [first, second] = await Promise.all([call(), call()]);
      expect(first.outputs[0]?.dims).toEqual([1, 1, ISNET_SIZE, ISNET_SIZE]);
      expect(second.outputs[0]?.dims).toEqual([1, 1, ISNET_SIZE, ISNET_SIZE]);
      // One session built for both, neither started beside another. Where the second waited (the
      // thread's queue, or the message channel while the first's inference held the thread) depends
      // on whether an earlier test already loaded the session, so callsAhead is not asserted.
      expect([first.trace.sessionsBuilt, second.trace.sessionsBuilt]).toEqual([1, 1]);
      expect([first.trace.runningAtStart, second.trace.runningAtStart]).toEqual([0, 0]);
    },
    MODEL_TIMEOUT,
  );

  it.skipIf(!hasRealPhotos()).each(['grass', 'wood'] as const)(
    'refines hair-like edges of a real photo over a real %s background: less alpha and fringe colour error',
    async (background) => {
      // The dog photo as the subject, given a known hairy soft alpha, over a real background photo.
      const scene = await knownAlphaScene(realPhoto('dog'), realPhoto(background), 1024);
      const mask = await foregroundMask(scene.composite);
      const plain = edgeErrors(await cutOut(scene.composite, mask, { refine: false }), scene);
      const refined = edgeErrors(await cutOut(scene.composite, mask), scene);
      console.log(
        `${background}: alpha error ${plain.alphaError.toFixed(1)} → ${refined.alphaError.toFixed(1)}, ` +
          `fringe colour error ${plain.colourError.toFixed(1)} → ${refined.colourError.toFixed(1)} (0..255)`,
      );
      expect(refined.bandPixels).toBeGreaterThan(50_000);
      expect(refined.alphaError).toBeLessThan(0.85 * plain.alphaError);
      expect(refined.colourError).toBeLessThan(0.9 * plain.colourError);
    },
    MODEL_TIMEOUT,
  );
});
