import { describe, expect, it } from 'vitest';
import { cropFraction, imagePlacement, largestCrop, moveCrop, resizeCrop } from './cropMath.ts';

const source = { width: 1600, height: 1000 };

describe('crop maths of the Social previews', () => {
  it('moves a crop and keeps it inside the image', () => {
    const crop = { left: 100, top: 0, width: 800, height: 1000 };
    expect(moveCrop(crop, 300, 50, source)).toEqual({ left: 400, top: 0, width: 800, height: 1000 });
    expect(moveCrop(crop, 5000, -50, source)).toEqual({ left: 800, top: 0, width: 800, height: 1000 });
    expect(moveCrop(crop, -5000, 0, source).left).toBe(0);
  });

  it('resizes around the centre with the aspect ratio locked, within 1%', () => {
    const aspect = 4 / 5;
    expect(largestCrop(aspect, source)).toEqual({ width: 800, height: 1000 });
    const half = resizeCrop({ left: 400, top: 0, width: 800, height: 1000 }, 0.5, aspect, source);
    expect(half).toEqual({ left: 600, top: 250, width: 400, height: 500 });
    for (const f of [0.13, 0.37, 0.61, 0.99]) {
      const r = resizeCrop(half, f, 1.91, source);
      expect(Math.abs(r.width / r.height - 1.91) / 1.91).toBeLessThan(0.01);
      expect(r.left + r.width).toBeLessThanOrEqual(source.width);
      expect(r.top + r.height).toBeLessThanOrEqual(source.height);
    }
    expect(cropFraction(half, aspect, source)).toBeCloseTo(0.5, 5);
  });

  it('places the source so a frame shows exactly the crop', () => {
    expect(imagePlacement({ left: 600, top: 250, width: 400, height: 500 }, source, 200)).toEqual({
      width: 800,
      height: 500,
      left: -300,
      top: -125,
    });
  });
});
