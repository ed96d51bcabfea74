import { describe, expect, it } from 'vitest';
import { distanceTransform, featherMask, fitMask, growMask, maskArea, thresholdMask } from './mask.ts';
import type { RawImage, RawMask } from './raw-image.ts';
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

  it('growing or shrinking within the bounding box gives what the whole-image transform gives', async () => {
    // Over the whole image, as growMask did before it bounded the work.
    const whole = (mask: RawMask, px: number): Uint8Array => {
      const dist = distanceTransform(mask.width, mask.height, (i) =>
        px > 0 ? mask.data[i]! > 0 : mask.data[i]! === 0,
      );
      return Uint8Array.from(dist, (d) => ((px > 0 ? d <= px : d > -px) ? 255 : 0));
    };
    const scattered: RawMask = { width: 90, height: 70, data: new Uint8Array(90 * 70) };
    let seed = 7;
    for (let i = 0; i < 25; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      const x = 20 + (seed % 50);
      const y = 15 + ((seed >> 8) % 40);
      for (let dy = 0; dy < 6; dy++) scattered.data.fill(255, (y + dy) * 90 + x, (y + dy) * 90 + x + 9);
    }
    const masks = [
      discMask(101, 81, 50, 40, 18),
      discMask(101, 81, 3, 78, 25), // cut by two image edges
      rectMask(64, 48, 0, 0, 64, 48), // all of the image
      scattered,
    ];
    for (const mask of masks) {
      for (const px of [1, 2, 5, 12.5, -1, -3, -8]) {
        expect(Buffer.from((await growMask(mask, px)).data).equals(Buffer.from(whole(mask, px)))).toBe(true);
      }
    }
    const empty: RawMask = { width: 30, height: 20, data: new Uint8Array(600) };
    expect(maskArea(await growMask(empty, 4))).toBe(0);
    expect(maskArea(await growMask(empty, -4))).toBe(0);
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
