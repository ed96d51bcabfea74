import sharp from 'sharp';
import type { Size } from './geometry.ts';
import type { RawImage } from './local/raw-image.ts';

const raw = (img: RawImage) => ({ raw: { width: img.width, height: img.height, channels: img.channels } });

/**
 * Resizes to exactly `target` with Lanczos3 (covering, centre crop when the aspect differs); when
 * enlarging, an edge-aware sharpen follows: flat areas are left alone (m1 = 0) so noise is not
 * amplified, edges get the boost.
 */
export async function exactResize(img: RawImage, target: Size, sharpen: boolean): Promise<RawImage> {
  let p = sharp(img.data, raw(img)).resize(target.width, target.height, {
    fit: 'cover',
    position: 'centre',
    kernel: 'lanczos3',
  });
  if (sharpen) p = p.sharpen({ sigma: 0.8, m1: 0, m2: 2.5, x1: 2, y2: 10, y3: 20 });
  const { data, info } = await p.raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: img.channels };
}

/** Decoded bytes (a provider's output) brought to exactly `target`. */
export async function exactResizeBytes(bytes: Buffer, target: Size): Promise<RawImage> {
  const alpha = (await sharp(bytes).metadata()).hasAlpha === true;
  const p = sharp(bytes)
    .resize(target.width, target.height, { fit: 'cover', position: 'centre', kernel: 'lanczos3' })
    .toColourspace('srgb');
  const { data, info } = await (alpha ? p.ensureAlpha() : p.removeAlpha())
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: alpha ? 4 : 3 };
}

/** Encoded bytes resized (Lanczos3, stretched) to `size`, as PNG: an input brought within a model's limits. */
export async function resizeToPng(bytes: Buffer, size: Size): Promise<Buffer> {
  return sharp(bytes).resize(size.width, size.height, { fit: 'fill', kernel: 'lanczos3' }).png().toBuffer();
}
