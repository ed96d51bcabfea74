import sharp from 'sharp';
import { realPhoto } from '../../../../../../../test/support/real-photos.ts';
import type { RawImage, RawMask } from '../../raw-image.ts';
import { laplacianStd, lumaAt } from '../../testing/metrics.ts';
import { rectMask } from '../../testing/synthetic-images.ts';
import { HOLE_SIZE, type PhotoHole } from './real-photo-holes.ts';

/** How a fill of a square hole compares with the photo's own pixels there. */
export interface FillQuality {
  /** Laplacian std inside the hole, fill ÷ original: 1 keeps the fine texture, lower is a smear. */
  textureKeep: number;
  /** PSNR (dB) of the hole's pixels against the original's. */
  psnr: number;
  /**
   * Mean luma step across the hole's border ÷ the mean step between the same-direction
   * neighbours just outside it (2–9 px out): ~1 when the border is as busy as its surroundings,
   * higher when a seam shows.
   */
  seam: number;
}

export interface HoleCase {
  image: RawImage;
  mask: RawMask;
  hole: PhotoHole;
}

export async function loadHoleCase(hole: PhotoHole): Promise<HoleCase> {
  const { data, info } = await sharp(realPhoto(hole.photo))
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  const image: RawImage = { data, width: info.width, height: info.height, channels: 3 };
  return { image, mask: rectMask(info.width, info.height, hole.x, hole.y, HOLE_SIZE, HOLE_SIZE), hole };
}

function holePsnr(a: RawImage, b: RawImage, hole: PhotoHole): number {
  let sum = 0;
  for (let y = hole.y; y < hole.y + HOLE_SIZE; y++) {
    for (let x = hole.x; x < hole.x + HOLE_SIZE; x++) {
      for (let k = 0; k < 3; k++) {
        const i = (y * a.width + x) * a.channels + k;
        sum += (a.data[i]! - b.data[i]!) ** 2;
      }
    }
  }
  return 10 * Math.log10((255 * 255) / Math.max(1e-9, sum / (HOLE_SIZE * HOLE_SIZE * 3)));
}

/**
 * Mean |Δluma| between pixel pairs straddling a line parallel to the hole's border, `out` pixels
 * outside it (0 = the border itself: the pair is the last outside and first inside pixel).
 */
function stepAcross(img: RawImage, hole: PhotoHole, out: number): number {
  const w = img.width;
  const { x: x0, y: y0 } = hole;
  const x1 = x0 + HOLE_SIZE - 1;
  const y1 = y0 + HOLE_SIZE - 1;
  let sum = 0;
  let n = 0;
  const pair = (a: number, b: number) => {
    sum += Math.abs(lumaAt(img, a) - lumaAt(img, b));
    n++;
  };
  for (let x = x0; x <= x1; x++) {
    if (y0 - out - 1 >= 0) pair((y0 - out - 1) * w + x, (y0 - out) * w + x);
    if (y1 + out + 1 < img.height) pair((y1 + out + 1) * w + x, (y1 + out) * w + x);
  }
  for (let y = y0; y <= y1; y++) {
    if (x0 - out - 1 >= 0) pair(y * w + x0 - out - 1, y * w + x0 - out);
    if (x1 + out + 1 < w) pair(y * w + x1 + out + 1, y * w + x1 + out);
  }
  return sum / Math.max(1, n);
}

/** Mean |Δluma| across the hole's border, and across the parallel lines 2–9 px outside it. */
export function borderSteps(img: RawImage, hole: PhotoHole): { border: number; around: number } {
  let around = 0;
  for (let out = 2; out <= 9; out++) around += stepAcross(img, hole, out);
  return { border: stepAcross(img, hole, 0), around: around / 8 };
}

export function seamRatio(img: RawImage, hole: PhotoHole): number {
  const { border, around } = borderSteps(img, hole);
  return border / around;
}

export function fillQuality(original: RawImage, filled: RawImage, hole: PhotoHole): FillQuality {
  const region = rectMask(original.width, original.height, hole.x, hole.y, HOLE_SIZE, HOLE_SIZE);
  return {
    textureKeep: laplacianStd(filled, region) / laplacianStd(original, region),
    psnr: holePsnr(original, filled, hole),
    seam: seamRatio(filled, hole),
  };
}
