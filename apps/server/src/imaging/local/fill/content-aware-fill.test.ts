import { describe, expect, it } from 'vitest';
import type { RawImage, RawMask } from '../raw-image.ts';
import { laplacianStd } from '../testing/metrics.ts';
import { brickTexture, discMask, naturalTexture, rectMask } from '../testing/synthetic-images.ts';
import { contentAwareFill, erase, planFill } from './content-aware-fill.ts';
import { patchMatchFill } from './patch-match.ts';
import { teleaInpaint } from './telea.ts';

function unchangedOutside(a: RawImage, b: RawImage, mask: RawMask): boolean {
  for (let i = 0; i < mask.width * mask.height; i++) {
    if (mask.data[i]) continue;
    for (let k = 0; k < a.channels; k++)
      if (a.data[i * a.channels + k] !== b.data[i * a.channels + k]) return false;
  }
  return true;
}

/** Paints a soft-edged red disc, like a photographed object with an anti-aliased rim. */
function paintBlob(img: RawImage, cx: number, cy: number, r: number): RawImage {
  const data = Buffer.from(img.data);
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      const cover = Math.min(1, Math.max(0, r + 0.5 - Math.hypot(x - cx, y - cy)));
      if (!cover) continue;
      const i = (y * img.width + x) * 3;
      data[i] = Math.round(data[i]! * (1 - cover) + 225 * cover);
      data[i + 1] = Math.round(data[i + 1]! * (1 - cover) + 25 * cover);
      data[i + 2] = Math.round(data[i + 2]! * (1 - cover) + 35 * cover);
    }
  }
  return { ...img, data };
}

const redness = (img: RawImage, i: number): number =>
  img.data[i * 3]! - (img.data[i * 3 + 1]! + img.data[i * 3 + 2]!) / 2;

describe('content-aware fill', () => {
  it('erase leaves no trace of the blob colour on a textured background', async () => {
    const background = naturalTexture(256, 256);
    const scene = paintBlob(background, 140, 110, 30);
    const out = await erase(scene, discMask(256, 256, 140, 110, 30));
    let maxBackground = -Infinity;
    let maxOut = -Infinity;
    for (let i = 0; i < 256 * 256; i++) {
      maxBackground = Math.max(maxBackground, redness(background, i));
      maxOut = Math.max(maxOut, redness(out, i));
    }
    expect(Math.max(...Array.from({ length: 256 * 256 }, (_, i) => redness(scene, i)))).toBeGreaterThan(150);
    expect(maxOut).toBeLessThanOrEqual(maxBackground + 10);
    const grown = discMask(256, 256, 140, 110, 32);
    expect(unchangedOutside(scene, out, grown)).toBe(true);
  });

  for (const [name, texture] of [
    ['brick', brickTexture(512, 512)],
    ['natural', naturalTexture(512, 512)],
  ] as const) {
    it(`fills a 64² hole in a ${name} texture with texture, where Telea smears`, async () => {
      const hole = rectMask(512, 512, 224, 224, 64, 64);
      const original = laplacianStd(texture, hole);
      const filled = patchMatchFill(texture, hole);
      const smeared = await teleaInpaint(texture, hole);
      const ratio = laplacianStd(filled, hole) / original;
      const teleaRatio = laplacianStd(smeared, hole) / original;
      console.log(
        `${name}: Laplacian std ratio PatchMatch ${ratio.toFixed(2)}, Telea ${teleaRatio.toFixed(2)}`,
      );
      expect(ratio).toBeGreaterThanOrEqual(0.6);
      expect(ratio).toBeLessThanOrEqual(1.6);
      expect(teleaRatio).toBeLessThan(0.35);
      expect(unchangedOutside(texture, filled, hole)).toBe(true);
    });
  }

  it('sends thin strokes to Telea and thick blobs to PatchMatch, keeping other pixels', async () => {
    const texture = brickTexture(200, 200);
    const mask = rectMask(200, 200, 10, 20, 150, 3);
    const blob = discMask(200, 200, 120, 130, 25);
    for (let i = 0; i < mask.data.length; i++) mask.data[i] = mask.data[i]! | blob.data[i]!;
    const plan = await planFill(mask);
    expect(plan.telea?.data[21 * 200 + 50]).toBe(255);
    expect(plan.telea?.data[130 * 200 + 120]).toBe(0);
    expect(plan.patchMatch?.data[130 * 200 + 120]).toBe(255);
    expect(plan.patchMatch?.data[21 * 200 + 50]).toBe(0);
    const out = await contentAwareFill(texture, mask);
    expect(unchangedOutside(texture, out, mask)).toBe(true);
    expect(out.data.equals(texture.data)).toBe(false);
  });

  it('accepts a mask of another size and keeps RGBA alpha outside the hole', async () => {
    const rgba: RawImage = { data: Buffer.alloc(96 * 64 * 4), width: 96, height: 64, channels: 4 };
    const rgb = brickTexture(96, 64);
    for (let i = 0; i < 96 * 64; i++) {
      rgb.data.copy(rgba.data, i * 4, i * 3, i * 3 + 3);
      rgba.data[i * 4 + 3] = 255;
    }
    const out = await contentAwareFill(rgba, rectMask(48, 32, 20, 10, 10, 10));
    expect([out.width, out.height, out.channels]).toEqual([96, 64, 4]);
    expect(out.data[(5 * 96 + 5) * 4 + 3]).toBe(255);
    expect(out.data.subarray(0, 40 * 4).equals(rgba.data.subarray(0, 40 * 4))).toBe(true);
  });
});
