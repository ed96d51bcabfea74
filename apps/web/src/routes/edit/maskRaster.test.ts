import { describe, expect, it } from 'vitest';
import { INVERT, type MaskOp, type Stroke } from './maskHistory.ts';
import {
  applySegment,
  cloneRaster,
  coverage,
  emptyRaster,
  paintedPixels,
  rasterise,
  segmentAt,
  toRgba,
} from './maskRaster.ts';

const W = 60;
const H = 40;
const at = (m: { width: number; data: Uint8ClampedArray }, x: number, y: number) => m.data[y * m.width + x];

const line = (over: Partial<Stroke> = {}): Stroke => ({
  points: [
    { x: 10, y: 20 },
    { x: 50, y: 20 },
  ],
  radius: 6,
  hardness: 1,
  erase: false,
  ...over,
});

describe('brush coverage', () => {
  it('is full inside the hard core and nothing past the radius', () => {
    expect(coverage(0, 10, 0.5)).toBe(1);
    expect(coverage(5, 10, 0.5)).toBe(1);
    expect(coverage(10, 10, 0.5)).toBe(0);
    expect(coverage(12, 10, 0.5)).toBe(0);
  });

  it('falls off smoothly and monotonically between core and radius', () => {
    const values = [5, 6, 7, 8, 9, 10].map((d) => coverage(d, 10, 0.5));
    for (let i = 1; i < values.length; i++) {
      expect(values[i]).toBeLessThan(values[i - 1] ?? 0);
    }
    expect(coverage(7.5, 10, 0.5)).toBeCloseTo(0.5, 5);
  });

  it('a hard brush still has a one-pixel anti-aliased edge', () => {
    expect(coverage(9.5, 10, 1)).toBeCloseTo(0.5, 5);
    expect(coverage(9, 10, 1)).toBe(1);
  });
});

describe('stroke rasterisation at image resolution', () => {
  it('paints a capsule of the stroke radius around its path and nothing else', () => {
    const m = rasterise([line()], W, H);
    expect([m.width, m.height, m.data.length]).toEqual([W, H, W * H]);
    expect(at(m, 30, 20)).toBe(255);
    expect(at(m, 30, 15)).toBe(255);
    expect(at(m, 30, 12)).toBe(0);
    expect(at(m, 5, 20)).toBe(255); // the round cap reaches 6 px past the end
    expect(at(m, 2, 20)).toBe(0);
    // Area of a 40 × 12 band plus a 6 px disc, within the anti-aliased edge.
    const area = 40 * 12 + Math.PI * 36;
    expect(Math.abs(paintedPixels(m) - area)).toBeLessThan(0.1 * area);
  });

  it('a soft brush leaves grey levels at its edge, full paint at its core', () => {
    const m = rasterise([line({ radius: 10, hardness: 0.2 })], W, H);
    expect(at(m, 30, 20)).toBe(255);
    const edge = at(m, 30, 27) ?? 0;
    expect(edge).toBeGreaterThan(0);
    expect(edge).toBeLessThan(255);
  });

  it('the eraser takes paint away where it passes and nowhere else', () => {
    const m = rasterise(
      [
        line(),
        {
          points: [
            { x: 30, y: 0 },
            { x: 30, y: 39 },
          ],
          radius: 3,
          hardness: 1,
          erase: true,
        },
      ],
      W,
      H,
    );
    expect(at(m, 30, 20)).toBe(0);
    expect(at(m, 20, 20)).toBe(255);
    expect(at(m, 40, 20)).toBe(255);
  });

  it('inverting swaps edit and keep, over everything before it', () => {
    const ops: MaskOp[] = [line(), INVERT];
    const m = rasterise(ops, W, H);
    expect(at(m, 30, 20)).toBe(0);
    expect(at(m, 0, 0)).toBe(255);
    const painted = rasterise([line()], W, H);
    expect(m.data.every((v, i) => v === 255 - (painted.data[i] ?? 0))).toBe(true);
    expect(rasterise([...ops, INVERT], W, H).data).toEqual(rasterise([line()], W, H).data);
  });

  it('laying a stroke segment by segment gives the same pixels as at once', () => {
    const s = line({
      points: [
        { x: 5, y: 5 },
        { x: 25, y: 30 },
        { x: 55, y: 8 },
      ],
      hardness: 0.3,
      radius: 7,
    });
    const base = rasterise([line({ erase: false })], W, H);
    const live = cloneRaster(base);
    for (let i = 0; i < s.points.length; i++) {
      const seg = segmentAt(s, i);
      if (seg) {
        applySegment(live, s, ...seg);
      }
    }
    expect(live.data).toEqual(rasterise([line(), s], W, H).data);
  });

  it('a stroke off the image changes nothing and reports no area', () => {
    const m = emptyRaster(W, H);
    expect(applySegment(m, line(), { x: -50, y: -50 }, { x: -30, y: -50 })).toBeNull();
    expect(paintedPixels(m)).toBe(0);
  });

  it('exports grey levels on black for the server and coloured alpha for the screen', () => {
    const m = rasterise([line({ radius: 10, hardness: 0.2 })], W, H);
    const grey = new Uint8ClampedArray(W * H * 4);
    toRgba(m, grey, null);
    const i = (27 * W + 30) * 4;
    expect([grey[i], grey[i + 1], grey[i + 2], grey[i + 3]]).toEqual([
      at(m, 30, 27),
      at(m, 30, 27),
      at(m, 30, 27),
      255,
    ]);
    expect(grey[3]).toBe(255);
    expect(grey[0]).toBe(0);
    const red = new Uint8ClampedArray(W * H * 4);
    toRgba(m, red, [255, 31, 75]);
    expect([red[i], red[i + 1], red[i + 2], red[i + 3]]).toEqual([255, 31, 75, at(m, 30, 27)]);
  });
});
