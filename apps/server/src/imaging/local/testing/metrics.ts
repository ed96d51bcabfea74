import type { RawImage, RawMask } from '../raw-image.ts';

/** Peak signal-to-noise ratio in dB over all channels, ignoring `border` pixels at each edge. */
export function psnr(a: RawImage, b: RawImage, border = 0): number {
  if (a.width !== b.width || a.height !== b.height || a.channels !== b.channels) {
    throw new Error('psnr needs images of the same shape');
  }
  let sum = 0;
  let n = 0;
  for (let y = border; y < a.height - border; y++) {
    for (let x = border; x < a.width - border; x++) {
      for (let c = 0; c < 3; c++) {
        const i = (y * a.width + x) * a.channels + c;
        const d = a.data[i]! - b.data[i]!;
        sum += d * d;
        n++;
      }
    }
  }
  return 10 * Math.log10((255 * 255) / (sum / n));
}

/** Luma (Rec. 601) of one pixel. */
export const lumaAt = (img: RawImage, i: number): number =>
  0.299 * img.data[i * img.channels]! +
  0.587 * img.data[i * img.channels + 1]! +
  0.114 * img.data[i * img.channels + 2]!;

/** Standard deviation of the 4-neighbour Laplacian of luma over pixels where `region` is set. */
export function laplacianStd(img: RawImage, region: RawMask): number {
  const w = img.width;
  const values: number[] = [];
  for (let y = 1; y < img.height - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      const i = y * w + x;
      if (!region.data[i]) continue;
      values.push(
        4 * lumaAt(img, i) -
          lumaAt(img, i - 1) -
          lumaAt(img, i + 1) -
          lumaAt(img, i - w) -
          lumaAt(img, i + w),
      );
    }
  }
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
}

/** Mean alpha (0..255) of an RGBA image over a rectangle. */
export function meanAlpha(img: RawImage, x0: number, y0: number, w: number, h: number): number {
  let sum = 0;
  for (let y = y0; y < y0 + h; y++)
    for (let x = x0; x < x0 + w; x++) sum += img.data[(y * img.width + x) * 4 + 3]!;
  return sum / (w * h);
}
