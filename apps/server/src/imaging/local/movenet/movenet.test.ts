import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { hasRealPhotos, type RealPhotoName, realPhoto } from '../../../../../../test/support/real-photos.ts';
import { FACE_INPUT_LONG_SIDE, type FacePixels } from '../../faces.ts';
import { bodiesFrom, type DetectedBody } from '../../objects.ts';
import { createHumanRunner, type HumanModels } from '../../testing/human-reference.ts';
import { createMovenetDetector, MovenetSessionLoader } from './movenet-session.ts';

const TFJS_MOVENET: HumanModels = { faces: false, objects: false, bodies: true };

interface Case {
  photo: RealPhotoName;
  /** A region of the photo in its own pixels: one person of a group, a portrait-shaped crop. */
  region?: { left: number; top: number; width: number; height: number };
  /** Mirrored, so left and right parts trade places. */
  flop?: boolean;
}

/** The picture as the detector sees it: at most FACE_INPUT_LONG_SIDE, `scale` raw pixels per source pixel. */
async function pixelsOf({ photo, region, flop }: Case): Promise<FacePixels> {
  const source = sharp(realPhoto(photo));
  const cut = region ? await source.extract(region).toBuffer() : await source.toBuffer();
  const image = sharp(cut);
  const { width = 1, height = 1 } = await image.metadata();
  const scale = Math.min(1, FACE_INPUT_LONG_SIDE / Math.max(width, height));
  const { data, info } = await image
    .flop(flop === true)
    .removeAlpha()
    .resize(Math.round(width * scale), Math.round(height * scale))
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: 3, scale: info.width / width };
}

/**
 * People: whole photos (landscape, padded above and below) and portrait crops (padded at the
 * sides). Human's `jitter` hands back the previous call's keypoint for any within 0.5% of it (a
 * smoothing for video), so near-identical pictures are kept apart in this order.
 */
const PEOPLE: Case[] = [
  { photo: 'footballer' },
  { photo: 'basketball' },
  { photo: 'footballer', flop: true },
  { photo: 'basketball2' },
  { photo: 'faces' },
  { photo: 'basketball2', flop: true },
  // samples.jpg's thumbnails: a full-length portrait, a seated man, two standing women.
  { photo: 'faces', region: { left: 0, top: 0, width: 160, height: 156 } },
  { photo: 'faces', region: { left: 330, top: 0, width: 210, height: 156 } },
  { photo: 'faces', region: { left: 544, top: 0, width: 92, height: 156 } },
  { photo: 'faces', region: { left: 796, top: 0, width: 110, height: 156 } },
  // One woman of the group photo below them, and the footballer alone.
  { photo: 'faces', region: { left: 380, top: 470, width: 150, height: 688 } },
  { photo: 'footballer', region: { left: 180, top: 60, width: 200, height: 282 } },
];

/** Photos without anyone: MoveNet still answers a pose, which `bodiesFrom` must drop for both. */
const NOBODY: Case[] = [{ photo: 'building' }, { photo: 'grass' }, { photo: 'dog' }, { photo: 'street' }];

const label = (c: Case) =>
  `${c.photo}${c.region ? ` ${c.region.left},${c.region.top}` : ''}${c.flop ? ' mirrored' : ''}`;

function expectSameBodies(ours: DetectedBody[], theirs: DetectedBody[], name: string): void {
  expect(ours.length, `${name} bodies kept`).toBe(theirs.length);
  ours.forEach((o, i) => {
    const t = theirs[i]!;
    expect(Math.abs(o.score - t.score), `${name} score`).toBeLessThanOrEqual(0.02);
    expect(
      o.keypoints.map((k) => k.part),
      `${name} parts`,
    ).toEqual(t.keypoints.map((k) => k.part));
    o.keypoints.forEach((k, j) => {
      const tk = t.keypoints[j]!;
      expect(Math.abs(k.x - tk.x), `${name} ${k.part} x`).toBeLessThanOrEqual(2);
      expect(Math.abs(k.y - tk.y), `${name} ${k.part} y`).toBeLessThanOrEqual(2);
      expect(Math.abs(k.score - tk.score), `${name} ${k.part} score`).toBeLessThanOrEqual(0.02);
    });
    for (const side of ['left', 'top', 'width', 'height'] as const) {
      expect(Math.abs(o.box[side] - t.box[side]), `${name} box ${side}`).toBeLessThanOrEqual(2);
    }
  });
}

describe.runIf(hasRealPhotos())('MoveNet on onnxruntime against Human on tfjs-wasm', () => {
  it('finds the same poses as bodiesFrom sees them: people kept, parts, keypoints within 2 px', async () => {
    const human = createHumanRunner({ models: TFJS_MOVENET });
    const onnx = createMovenetDetector();
    let people = 0;
    let keypoints = 0;
    for (const c of [...PEOPLE, ...NOBODY]) {
      const pixels = await pixelsOf(c);
      const bounds = { width: pixels.width, height: pixels.height, scale: pixels.scale };
      const theirRaw = await human.run(pixels, TFJS_MOVENET, (r) => r.body, []);
      const ourRaw = await onnx.detect(pixels);
      // Every keypoint Human reports, before the product's filters: the same parts in the same order.
      expect(
        ourRaw.map((b) => b.keypoints.map((k) => k.part)),
        label(c),
      ).toEqual(theirRaw.map((b) => b.keypoints.map((k) => k.part)));
      const theirs = bodiesFrom(theirRaw, bounds);
      const ours = bodiesFrom(ourRaw, bounds);
      expectSameBodies(ours, theirs, label(c));
      if (NOBODY.includes(c)) expect(ours, label(c)).toEqual([]);
      people += ours.length;
      keypoints += ours.reduce((n, b) => n + b.keypoints.length, 0);
    }
    // A person kept in most pictures of people, each with many confident points: not a vacuous match.
    expect(people).toBeGreaterThanOrEqual(8);
    expect(keypoints).toBeGreaterThan(100);
  }, 300_000);

  it('loads its session once for every call', async () => {
    const loader = new MovenetSessionLoader();
    const onnx = createMovenetDetector({ loader });
    const pixels = await pixelsOf({ photo: 'footballer' });
    const [a, b] = await Promise.all([onnx.detect(pixels), onnx.detect(pixels)]);
    expect(a).toEqual(b);
    expect(a[0]!.keypoints.length).toBeGreaterThan(12);
    expect(loader.built).toBe(1);
  }, 120_000);

  it('finds no pose, logging once, when the model cannot load', async () => {
    const logs: string[] = [];
    const onnx = createMovenetDetector({
      log: (m) => logs.push(m),
      loader: new MovenetSessionLoader(1, { dir: '/nonexistent', file: 'movenet-lightning.json' }),
    });
    const pixels = { data: Buffer.alloc(48), width: 4, height: 4, channels: 3 as const };
    expect(await onnx.detect(pixels)).toEqual([]);
    expect(await onnx.detect(pixels)).toEqual([]);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toContain('Pose detection unavailable');
  });
});
