import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors.ts';
import type { RawImage } from './raw-image.ts';
import { parseColor, recolor } from './recolor.ts';
import { laplacianStd, lumaAt } from './testing/metrics.ts';
import { brickTexture, rectMask } from './testing/synthetic-images.ts';

/** HSV hue in degrees per pixel (0 for greys). */
function hueDegrees(img: RawImage): Float32Array {
  return Float32Array.from({ length: img.width * img.height }, (_, i) => {
    const [r, g, b] = [img.data[i * 3]!, img.data[i * 3 + 1]!, img.data[i * 3 + 2]!];
    const max = Math.max(r, g, b);
    const d = max - Math.min(r, g, b);
    if (!d) return 0;
    const h = max === r ? ((g - b) / d + 6) % 6 : max === g ? (b - r) / d + 2 : (r - g) / d + 4;
    return h * 60;
  });
}

const hueDistance = (a: number, b: number): number => {
  const d = Math.abs(a - b) % 360;
  return d > 180 ? 360 - d : d;
};

describe('recolor', () => {
  it('parses CSS names and hex values and rejects unknown colours', () => {
    expect(parseColor('RebeccaPurple')).toEqual([102, 51, 153]);
    expect(parseColor('#1e90ff')).toEqual([30, 144, 255]);
    expect(parseColor('0f0')).toEqual([0, 255, 0]);
    expect(() => parseColor('blurple')).toThrow(AppError);
  });

  it('changes hue only inside the mask, keeping luminance and texture', async () => {
    const img = brickTexture(160, 120);
    const mask = rectMask(160, 120, 40, 30, 80, 60);
    const out = await recolor(img, mask, 'royalblue');
    const hueBefore = hueDegrees(img);
    const hueAfter = hueDegrees(out);
    const targetHue = hueDegrees({
      data: Buffer.from(parseColor('royalblue')),
      width: 1,
      height: 1,
      channels: 3,
    })[0]!;
    let insideHueError = 0;
    let lumaError = 0;
    let inside = 0;
    for (let i = 0; i < 160 * 120; i++) {
      if (!mask.data[i]) {
        for (let k = 0; k < 3; k++) expect(out.data[i * 3 + k]).toBe(img.data[i * 3 + k]);
        continue;
      }
      inside++;
      insideHueError += hueDistance(hueAfter[i]!, targetHue);
      lumaError += Math.abs(lumaAt(out, i) - lumaAt(img, i));
      expect(hueDistance(hueBefore[i]!, targetHue)).toBeGreaterThan(90);
    }
    expect(insideHueError / inside).toBeLessThan(10);
    expect(lumaError / inside).toBeLessThan(12);
    const ratio = laplacianStd(out, mask) / laplacianStd(img, mask);
    expect(ratio).toBeGreaterThan(0.8);
    expect(ratio).toBeLessThan(1.25);
  });

  it('accepts a mask of another size and leaves alpha alone', async () => {
    const rgba = await sharp({
      create: { width: 40, height: 40, channels: 4, background: { r: 200, g: 60, b: 40, alpha: 0.5 } },
    })
      .raw()
      .toBuffer();
    const out = await recolor(
      { data: rgba, width: 40, height: 40, channels: 4 },
      rectMask(10, 10, 0, 0, 5, 10),
      '#22aa44',
    );
    expect(out.data[(20 * 40 + 5) * 4 + 3]).toBe(rgba[(20 * 40 + 5) * 4 + 3]);
    expect(out.data[(20 * 40 + 5) * 4 + 1]!).toBeGreaterThan(out.data[(20 * 40 + 5) * 4]!);
    expect(
      out.data
        .subarray((20 * 40 + 30) * 4, (20 * 40 + 31) * 4)
        .equals(rgba.subarray((20 * 40 + 30) * 4, (20 * 40 + 31) * 4)),
    ).toBe(true);
  });
});
