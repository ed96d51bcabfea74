import { describe, expect, it } from 'vitest';
import { AppError } from '../../../errors.ts';
import { laplacianStd, lumaAt } from '../testing/metrics.ts';
import { naturalTexture, rectMask } from '../testing/synthetic-images.ts';
import { outpaint } from './outpaint.ts';

describe('outpaint', () => {
  it('returns the requested size with the original pixels unchanged and texture in the new area', async () => {
    const img = naturalTexture(160, 120);
    const out = await outpaint(img, { left: 40, right: 24, up: 16, down: 32 });
    expect([out.width, out.height, out.channels]).toEqual([224, 168, 3]);
    for (let y = 0; y < 120; y++) {
      const row = out.data.subarray(((y + 16) * 224 + 40) * 3, ((y + 16) * 224 + 200) * 3);
      expect(row.equals(img.data.subarray(y * 160 * 3, (y + 1) * 160 * 3))).toBe(true);
    }
    const newLeft = rectMask(224, 168, 2, 20, 36, 120);
    const sameArea = rectMask(224, 168, 60, 40, 36, 120);
    const ratio = laplacianStd(out, newLeft) / laplacianStd(out, sameArea);
    expect(ratio).toBeGreaterThan(0.6);
    expect(ratio).toBeLessThan(1.6);
    // Across the seam the brightness continues: the columns either side differ like any neighbours.
    let seam = 0;
    let inside = 0;
    for (let y = 16; y < 136; y++) {
      seam += Math.abs(lumaAt(out, y * 224 + 39) - lumaAt(out, y * 224 + 40));
      inside += Math.abs(lumaAt(out, y * 224 + 80) - lumaAt(out, y * 224 + 81));
    }
    expect(seam).toBeLessThan(inside * 1.6);
  });

  it('extends one side only and rejects negative extents', async () => {
    const img = naturalTexture(64, 64);
    const out = await outpaint(img, { right: 64 });
    expect([out.width, out.height]).toEqual([128, 64]);
    await expect(outpaint(img, { left: -1 })).rejects.toBeInstanceOf(AppError);
  });
});
