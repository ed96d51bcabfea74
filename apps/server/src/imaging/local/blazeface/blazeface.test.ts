import sharp, { type Sharp } from 'sharp';
import { describe, expect, it } from 'vitest';
import { hasRealPhotos, type RealPhotoName, realPhoto } from '../../../../../../test/support/real-photos.ts';
import { FACE_INPUT_LONG_SIDE, type FacePixels } from '../../faces.ts';
import { createHumanRunner, type HumanModels } from '../../testing/human-reference.ts';
import { SessionLoader } from '../onnx/session-loader.ts';
import { blazefaceSessionLoader, createBlazefaceDetector } from './blazeface-session.ts';
import type { BlazefaceFace } from './decode.ts';

const TFJS_BLAZEFACE: HumanModels = { faces: true, objects: false, bodies: false };

/** An image as the detector sees it: at most FACE_INPUT_LONG_SIDE, `scale` raw pixels per source pixel. */
async function pixelsOf(image: Sharp): Promise<FacePixels> {
  const { data, info } = await image.raw().toBuffer({ resolveWithObject: true });
  const photo = sharp(data, { raw: info });
  const scale = Math.min(1, FACE_INPUT_LONG_SIDE / Math.max(info.width, info.height));
  const out = await photo
    .removeAlpha()
    .resize(Math.round(info.width * scale), Math.round(info.height * scale))
    .raw()
    .toBuffer({ resolveWithObject: true });
  return {
    data: out.data,
    width: out.info.width,
    height: out.info.height,
    channels: 3,
    scale: out.info.width / info.width,
  };
}

const FACE_FREE: string[] = ['building', 'grass', 'fruits', 'circuitBoard'];
const PHOTOS: RealPhotoName[] = [
  'faces',
  'footballer',
  'basketball',
  'baboon',
  'dog',
  'building',
  'grass',
  'fruits',
  'circuitBoard',
];

/**
 * Human's grid of sample portraits cut into `n` × `n` tiles: each face a few times larger in the
 * detector's input than in the whole grid, so more of them cross blazeface's threshold.
 */
async function sampleTiles(n: number): Promise<{ name: string; image: Sharp }[]> {
  const grid = realPhoto('faces');
  const { width = 1, height = 1 } = await sharp(grid).metadata();
  const tiles = [];
  for (let y = 0; y < n; y++)
    for (let x = 0; x < n; x++) {
      const left = Math.floor((x * width) / n);
      const top = Math.floor((y * height) / n);
      const region = {
        left,
        top,
        width: Math.floor(((x + 1) * width) / n) - left,
        height: Math.floor(((y + 1) * height) / n) - top,
      };
      tiles.push({ name: `samples ${n}×${n} tile ${x},${y}`, image: sharp(grid).extract(region) });
    }
  return tiles;
}

describe.runIf(hasRealPhotos())('blazeface on onnxruntime against Human on tfjs-wasm', () => {
  it('finds the same faces on real photos: count equal, boxes within 2 source px, scores within 0.02', async () => {
    const human = createHumanRunner({ models: TFJS_BLAZEFACE });
    const onnx = createBlazefaceDetector();
    const images = [
      ...PHOTOS.map((name) => ({ name, image: sharp(realPhoto(name)) })),
      ...(await sampleTiles(2)),
      ...(await sampleTiles(3)),
      ...(await sampleTiles(4)),
    ];
    let compared = 0;
    for (const { name, image } of images) {
      const pixels = await pixelsOf(image);
      const theirs = await human.run(
        pixels,
        TFJS_BLAZEFACE,
        (r): BlazefaceFace[] => r.face.map((f) => ({ box: [...f.box], boxScore: f.boxScore })),
        [],
      );
      const ours = await onnx.detect(pixels);
      expect(ours.length, name).toBe(theirs.length);
      ours.forEach((o, i) => {
        const t = theirs[i]!;
        expect(Math.abs(o.boxScore - t.boxScore), `${name} #${i} score`).toBeLessThanOrEqual(0.02);
        o.box.forEach((v, k) => {
          expect(Math.abs(v - t.box[k]!) / pixels.scale, `${name} #${i} box[${k}]`).toBeLessThanOrEqual(2);
        });
      });
      if (FACE_FREE.includes(name)) expect(ours, name).toEqual([]);
      compared += ours.length;
    }
    // The grid's portraits at four scales, the footballer, the basketball players: not a vacuous match.
    expect(compared).toBeGreaterThan(20);
  }, 300_000);

  it('loads its session once for every call', async () => {
    const loader = blazefaceSessionLoader();
    const onnx = createBlazefaceDetector({ loader });
    const pixels = await pixelsOf(sharp(realPhoto('footballer')));
    const [a, b] = await Promise.all([onnx.detect(pixels), onnx.detect(pixels)]);
    expect(a).toEqual(b);
    expect(a).toHaveLength(1);
    expect(loader.built).toBe(1);
  }, 120_000);

  it('finds no faces, logging once, when the model cannot load', async () => {
    const logs: string[] = [];
    const onnx = createBlazefaceDetector({
      log: (m) => logs.push(m),
      loader: new SessionLoader(() => Uint8Array.of(1, 2, 3)),
    });
    const pixels = { data: Buffer.alloc(48), width: 4, height: 4, channels: 3 as const };
    expect(await onnx.detect(pixels)).toEqual([]);
    expect(await onnx.detect(pixels)).toEqual([]);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toContain('Face detection unavailable');
  });
});
