import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { SEED_FORMATS } from '../social/platforms.ts';
import { contains, type Rect } from './geometry.ts';
import { computeSaliency, SALIENCY_LONG_SIDE, salientBox } from './saliency.ts';
import { planCrop } from './smart-crop.ts';
import { sceneWithSubject } from './test-images.ts';

async function saliencyOf(jpeg: Buffer, width: number) {
  const small = await sharp(jpeg)
    .resize(SALIENCY_LONG_SIDE, SALIENCY_LONG_SIDE, { fit: 'inside' })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const map = computeSaliency({
    data: small.data,
    width: small.info.width,
    height: small.info.height,
    channels: 3,
    scale: small.info.width / width,
  });
  return { map, box: salientBox(map) };
}

const scenes: Array<[string, number, number, Rect]> = [
  ['landscape, subject top-right', 1200, 900, { left: 900, top: 60, width: 150, height: 170 }],
  ['landscape, subject bottom-left', 1200, 900, { left: 70, top: 690, width: 150, height: 170 }],
  ['portrait, subject low-right', 900, 1200, { left: 690, top: 940, width: 150, height: 150 }],
];

describe('smart crop on a known off-centre subject', () => {
  for (const [label, width, height, subject] of scenes) {
    it(`${label}: the subject lies inside the smart crop of all 20 formats`, async () => {
      const { map, box } = await saliencyOf(await sceneWithSubject(width, height, subject), width);
      expect(box).toBeDefined();
      expect(SEED_FORMATS).toHaveLength(20);
      for (const f of SEED_FORMATS) {
        const plan = planCrop({
          source: { width, height },
          target: { width: f.width, height: f.height },
          mode: 'smart',
          saliency: map,
          salientBox: box,
        });
        expect(plan.strategy).toBe('saliency');
        expect(contains({ left: 0, top: 0, width, height }, plan.crop)).toBe(true);
        expect(Math.abs(plan.crop.width / plan.crop.height - f.width / f.height)).toBeLessThan(
          0.02 * (f.width / f.height),
        );
        expect(contains(plan.crop, subject), `${f.id} crop ${JSON.stringify(plan.crop)}`).toBe(true);
      }
    });
  }

  it('a centre crop of the same scene loses the subject (the seed behaviour this replaces)', () => {
    const plan = planCrop({
      source: { width: 1200, height: 900 },
      target: { width: 1080, height: 1920 },
      mode: 'center',
    });
    expect(contains(plan.crop, { left: 900, top: 60, width: 150, height: 170 })).toBe(false);
    expect(plan.crop).toEqual({ left: 347, top: 0, width: 506, height: 900 });
  });
});

describe('faces', () => {
  const source = { width: 2000, height: 1000 };
  const story = { width: 1080, height: 1920 }; // crop 563×1000

  it('frames a detected face and reports it as the subject', () => {
    const face = { left: 1500, top: 300, width: 200, height: 240 };
    const plan = planCrop({ source, target: story, mode: 'smart', faces: [face] });
    expect(plan.strategy).toBe('faces');
    expect(plan.subjects).toEqual([face]);
    expect(contains(plan.crop, face)).toBe(true);
  });

  it('never cuts through a face when a crop keeping it whole exists', () => {
    // Two faces too far apart for one 563-px crop: one is kept whole, the other left out entirely.
    const a = { left: 200, top: 300, width: 220, height: 260 };
    const b = { left: 1500, top: 300, width: 200, height: 240 };
    const plan = planCrop({ source, target: story, mode: 'smart', faces: [a, b] });
    for (const f of [a, b]) {
      const overlap = Math.max(
        0,
        Math.min(plan.crop.left + plan.crop.width, f.left + f.width) - Math.max(plan.crop.left, f.left),
      );
      expect(overlap === 0 || overlap === f.width).toBe(true);
    }
    expect(contains(plan.crop, a)).toBe(true);
  });

  it('keeps a group together when it fits', () => {
    const faces = [
      { left: 900, top: 200, width: 120, height: 140 },
      { left: 1100, top: 220, width: 110, height: 130 },
      { left: 1300, top: 210, width: 100, height: 120 },
    ];
    const plan = planCrop({ source, target: { width: 1080, height: 1080 }, mode: 'smart', faces });
    for (const f of faces) expect(contains(plan.crop, f)).toBe(true);
  });

  it('in a tall source, places faces in the upper part of a wide crop', () => {
    const face = { left: 300, top: 1400, width: 300, height: 340 };
    const plan = planCrop({
      source: { width: 1000, height: 2000 },
      target: { width: 1500, height: 500 },
      mode: 'smart',
      faces: [face],
    });
    expect(plan.crop.height).toBe(333);
    expect(contains(plan.crop, face)).toBe(false); // taller than the crop: unavoidable
    const faceCentre = face.top + face.height / 2;
    expect(faceCentre).toBeGreaterThan(plan.crop.top);
    expect(faceCentre).toBeLessThan(plan.crop.top + plan.crop.height);
  });
});

describe('focal point, centre and fit', () => {
  const source = { width: 4000, height: 3000 };

  it('an explicit focal point wins over faces', () => {
    const plan = planCrop({
      source,
      target: { width: 1080, height: 1080 },
      mode: 'smart',
      faces: [{ left: 3500, top: 100, width: 300, height: 300 }],
      focalPoint: { x: 0.2, y: 0.5 },
    });
    expect(plan.strategy).toBe('focal_point');
    expect(plan.crop).toEqual({ left: 0, top: 0, width: 3000, height: 3000 });
    const wide = planCrop({
      source,
      target: { width: 1500, height: 500 },
      mode: 'smart',
      focalPoint: { x: 0.5, y: 0.9 },
    });
    expect(wide.crop.top + wide.crop.height / 2).toBeCloseTo(Math.min(2700, 3000 - wide.crop.height / 2), -1);
  });

  it('clamps a focal point outside 0–1 to the image', () => {
    const plan = planCrop({
      source,
      target: { width: 1080, height: 1920 },
      mode: 'smart',
      focalPoint: { x: 7, y: -3 },
    });
    expect(plan.crop.left + plan.crop.width).toBe(4000);
  });

  it('centre mode ignores subjects', () => {
    const plan = planCrop({
      source,
      target: { width: 1000, height: 1000 },
      mode: 'center',
      faces: [{ left: 0, top: 0, width: 100, height: 100 }],
    });
    expect(plan.crop).toEqual({ left: 500, top: 0, width: 3000, height: 3000 });
  });

  it('fit keeps the whole image and centres it in the output', () => {
    for (const f of SEED_FORMATS) {
      const plan = planCrop({ source, target: f, mode: 'fit' });
      expect(plan.crop).toEqual({ left: 0, top: 0, width: 4000, height: 3000 });
      const p = plan.placement!;
      expect(p.left + p.width).toBeLessThanOrEqual(f.width);
      expect(p.top + p.height).toBeLessThanOrEqual(f.height);
      expect(p.width === f.width || p.height === f.height).toBe(true);
      expect(Math.abs(p.width / p.height - 4 / 3)).toBeLessThan(0.05 * (4 / 3) + 2 / p.height);
    }
  });

  it('same aspect ratio: the whole image, no decision to make', () => {
    const plan = planCrop({
      source: { width: 2560, height: 1440 },
      target: { width: 1280, height: 720 },
      mode: 'smart',
    });
    expect(plan.crop).toEqual({ left: 0, top: 0, width: 2560, height: 1440 });
  });

  it('a flat image without subjects falls back to the centre', async () => {
    const flat = await sharp({ create: { width: 800, height: 400, channels: 3, background: '#777' } })
      .jpeg()
      .toBuffer();
    const { map, box } = await saliencyOf(flat, 800);
    expect(box).toBeUndefined();
    const plan = planCrop({
      source: { width: 800, height: 400 },
      target: { width: 400, height: 400 },
      mode: 'smart',
      saliency: map,
    });
    expect(plan.crop.left).toBe(200);
  });
});
