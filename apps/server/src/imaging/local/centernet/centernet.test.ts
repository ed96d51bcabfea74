import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { hasRealPhotos, type RealPhotoName, realPhoto } from '../../../../../../test/support/real-photos.ts';
import { FACE_INPUT_LONG_SIDE, type FacePixels } from '../../faces.ts';
import { type DetectedObject, objectsFrom } from '../../objects.ts';
import { createHumanRunner, type HumanModels } from '../../testing/human-reference.ts';
import { SessionLoader } from '../onnx/session-loader.ts';
import {
  CENTERNET_SPARE_CORE_THREADS,
  centernetSessionLoader,
  createCenternetDetector,
} from './centernet-session.ts';

const TFJS_CENTERNET: HumanModels = { faces: false, objects: true, bodies: false };

/** The photo as the detector sees it: at most FACE_INPUT_LONG_SIDE, `scale` raw pixels per source pixel. */
async function pixelsOf(name: RealPhotoName): Promise<FacePixels> {
  const photo = sharp(realPhoto(name));
  const { width = 1, height = 1 } = await photo.metadata();
  const scale = Math.min(1, FACE_INPUT_LONG_SIDE / Math.max(width, height));
  const { data, info } = await photo
    .removeAlpha()
    .resize(Math.round(width * scale), Math.round(height * scale))
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: 3, scale: info.width / width };
}

const PHOTOS: RealPhotoName[] = [
  'footballer',
  'basketball',
  'faces',
  'building',
  'aerial',
  'circuitBoard',
  'fruits',
  'pottedPlant',
  'dog',
  'squirrel',
  'ladybird',
  'grass',
];

describe.runIf(hasRealPhotos())('CenterNet on onnxruntime against Human on tfjs-wasm', () => {
  it('finds the same objects on real photos: classes equal, boxes within 2 px, scores within 0.02', async () => {
    const human = createHumanRunner({ models: TFJS_CENTERNET });
    const onnx = createCenternetDetector();
    let compared = 0;
    for (const name of PHOTOS) {
      const pixels = await pixelsOf(name);
      const bounds = { width: pixels.width, height: pixels.height, scale: pixels.scale };
      const theirs = await human.run(pixels, TFJS_CENTERNET, (r) => objectsFrom(r.object, bounds), []);
      const ours = objectsFrom(await onnx.detect(pixels), bounds);
      const labels = (list: DetectedObject[]) => list.map((o) => o.label);
      expect(labels(ours), name).toEqual(labels(theirs));
      ours.forEach((o, i) => {
        const t = theirs[i]!;
        expect(Math.abs(o.score - t.score), `${name} #${i} score`).toBeLessThanOrEqual(0.02);
        for (const k of ['left', 'top', 'width', 'height'] as const) {
          expect(Math.abs(o.box[k] - t.box[k]), `${name} #${i} ${k}`).toBeLessThanOrEqual(2);
        }
      });
      compared += ours.length;
    }
    // Footballer, basketball, sample portraits, cars, plants, fruit…: dozens of boxes, not a vacuous match.
    expect(compared).toBeGreaterThan(50);
  }, 300_000);

  it('finds the very same objects on a second core: two intra-op threads change only the time', async () => {
    const one = createCenternetDetector();
    const two = createCenternetDetector({ loader: centernetSessionLoader(CENTERNET_SPARE_CORE_THREADS) });
    let compared = 0;
    for (const name of PHOTOS) {
      const pixels = await pixelsOf(name);
      const ours = await one.detect(pixels);
      expect(await two.detect(pixels), name).toEqual(ours);
      compared += ours.length;
    }
    expect(compared).toBeGreaterThan(50);
  }, 300_000);

  it('loads its session once for every call', async () => {
    const loader = centernetSessionLoader();
    const onnx = createCenternetDetector({ loader });
    const pixels = await pixelsOf('footballer');
    const [a, b] = await Promise.all([onnx.detect(pixels), onnx.detect(pixels)]);
    expect(a).toEqual(b);
    expect(a.some((o) => o.label === 'sports ball')).toBe(true);
    expect(loader.built).toBe(1);
  }, 120_000);

  it('finds nothing, logging once, when the model cannot load', async () => {
    const logs: string[] = [];
    const onnx = createCenternetDetector({
      log: (m) => logs.push(m),
      loader: new SessionLoader(() => Uint8Array.of(1, 2, 3)),
    });
    const pixels = { data: Buffer.alloc(48), width: 4, height: 4, channels: 3 as const };
    expect(await onnx.detect(pixels)).toEqual([]);
    expect(await onnx.detect(pixels)).toEqual([]);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toContain('Object detection unavailable');
  });
});
