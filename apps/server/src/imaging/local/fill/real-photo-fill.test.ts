import { describe, expect, it } from 'vitest';
import { hasRealPhotos } from '../../../../../../test/support/real-photos.ts';
import { contentAwareFill } from './content-aware-fill.ts';
import { teleaInpaint } from './telea.ts';
import { borderSteps, fillQuality, loadHoleCase, seamRatio } from './testing/fill-quality.ts';
import { HOLE_SIZE, PHOTO_HOLES } from './testing/real-photo-holes.ts';

/**
 * The seam bound. On these photos the same ratio measured on the untouched originals (where
 * there is no seam) ranges 0.87–1.42; a fill whose border steps more than 1.5× its surroundings
 * is busier there than any original border here, i.e. a seam shows. The last test checks that a
 * visible step trips it: a brightness step twice the texture's own typical neighbour difference
 * (at least 16 grey levels; on these photos 16–56).
 */
const MAX_SEAM = 1.5;

describe.skipIf(!hasRealPhotos())('erase on real photographs keeps texture', () => {
  for (const hole of PHOTO_HOLES) {
    it(`${hole.photo} at (${hole.x}, ${hole.y}): ${hole.why}`, async () => {
      const { image, mask } = await loadHoleCase(hole);
      const filled = await contentAwareFill(image, mask);
      const q = fillQuality(image, filled, hole);
      const telea = fillQuality(image, await teleaInpaint(image, mask), hole);
      console.log(
        `${hole.photo} (${hole.x},${hole.y}): keep ${q.textureKeep.toFixed(2)} (Telea ${telea.textureKeep.toFixed(2)}), ` +
          `PSNR ${q.psnr.toFixed(1)} dB, seam ${q.seam.toFixed(2)}`,
      );
      expect(q.textureKeep).toBeGreaterThanOrEqual(0.6);
      expect(q.textureKeep).toBeLessThanOrEqual(1.6);
      expect(q.psnr).toBeGreaterThanOrEqual(13);
      expect(q.seam).toBeLessThanOrEqual(MAX_SEAM);
      // Outside the hole nothing changes.
      for (let i = 0; i < mask.data.length; i++) {
        if (mask.data[i]) continue;
        if (filled.data[i * 3] !== image.data[i * 3] || filled.data[i * 3 + 2] !== image.data[i * 3 + 2]) {
          throw new Error(`pixel ${i} outside the hole changed`);
        }
      }
    });
  }

  it('the seam measure flags a brightness step at the border of an untouched texture', async () => {
    for (const hole of PHOTO_HOLES) {
      const { image } = await loadHoleCase(hole);
      const step = Math.max(16, Math.round(2 * borderSteps(image, hole).around));
      const stepped = { ...image, data: Buffer.from(image.data) };
      for (let y = hole.y; y < hole.y + HOLE_SIZE; y++) {
        for (let x = hole.x; x < hole.x + HOLE_SIZE; x++) {
          for (let k = 0; k < 3; k++) {
            const i = (y * image.width + x) * 3 + k;
            stepped.data[i] = Math.min(255, image.data[i]! + step);
          }
        }
      }
      expect(seamRatio(image, hole)).toBeLessThanOrEqual(MAX_SEAM);
      expect(seamRatio(stepped, hole), hole.photo).toBeGreaterThan(MAX_SEAM);
    }
  });
});
