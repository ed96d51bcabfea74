import { describe, expect, it } from 'vitest';
import { featherMask, fitMask, growMask, maskArea, thresholdMask } from './mask.ts';
import type { RawImage } from './raw-image.ts';
import { discMask, rectMask } from './testing/synthetic-images.ts';

describe('mask utilities', () => {
  it('resizes a mask of any size and channel count to the image, white = edit', async () => {
    const small: RawImage = { data: Buffer.alloc(10 * 10 * 3), width: 10, height: 10, channels: 3 };
    for (let y = 0; y < 10; y++)
      for (let x = 5; x < 10; x++) small.data.fill(255, (y * 10 + x) * 3, (y * 10 + x) * 3 + 3);
    const fitted = thresholdMask(await fitMask(small, 100, 60));
    expect([fitted.width, fitted.height, fitted.data.length]).toEqual([100, 60, 6000]);
    expect(fitted.data[30 * 100 + 10]).toBe(0);
    expect(fitted.data[30 * 100 + 90]).toBe(255);
    expect(maskArea(fitted)).toBeGreaterThan(2800);
    expect(maskArea(fitted)).toBeLessThan(3200);
  });

  it('treats transparent mask pixels as keep', async () => {
    const rgba: RawImage = { data: Buffer.alloc(4 * 4 * 4, 255), width: 4, height: 4, channels: 4 };
    for (let i = 0; i < 8; i++) rgba.data[i * 4 + 3] = 0;
    const m = await fitMask(rgba, 4, 4);
    expect(Array.from(m.data.slice(0, 8))).toEqual(new Array(8).fill(0));
    expect(Array.from(m.data.slice(8))).toEqual(new Array(8).fill(255));
  });

  it('grows a disc by the requested radius and shrinks it with a negative value', async () => {
    const disc = discMask(101, 101, 50, 50, 20);
    const grown = await growMask(disc, 5);
    const shrunk = await growMask(disc, -5);
    const area = (r: number) => Math.PI * r * r;
    expect(maskArea(grown) / area(25)).toBeGreaterThan(0.95);
    expect(maskArea(grown) / area(25)).toBeLessThan(1.05);
    expect(maskArea(shrunk) / area(15)).toBeGreaterThan(0.95);
    expect(maskArea(shrunk) / area(15)).toBeLessThan(1.05);
    expect(grown.data[50 * 101 + 50 + 24]).toBe(255);
    expect(grown.data[50 * 101 + 50 + 27]).toBe(0);
  });

  it('feathers only around the edge', async () => {
    const rect = rectMask(64, 64, 16, 16, 32, 32);
    const soft = await featherMask(rect, 6);
    expect(soft.data[32 * 64 + 32]).toBe(255);
    expect(soft.data[2 * 64 + 2]).toBe(0);
    const edge = soft.data[32 * 64 + 16]!;
    expect(edge).toBeGreaterThan(60);
    expect(edge).toBeLessThan(200);
  });
});
