import sharp, { type Sharp } from 'sharp';
import { validationFailed } from '../../errors.ts';

/** Interleaved 8-bit pixels, row-major, no padding between rows. */
export interface RawImage {
  data: Buffer;
  width: number;
  height: number;
  channels: 3 | 4;
}

/** A single-channel 8-bit mask: 255 = edit, 0 = keep. */
export interface RawMask {
  data: Uint8Array;
  width: number;
  height: number;
}

export const pixelCount = (img: { width: number; height: number }): number => img.width * img.height;

export function assertRawImage(img: RawImage): void {
  if (img.width < 1 || img.height < 1 || img.data.length !== img.width * img.height * img.channels) {
    throw validationFailed('Image buffer does not match its width, height and channels.', {
      width: img.width,
      height: img.height,
      channels: img.channels,
      bytes: img.data.length,
    });
  }
}

/** Decodes any sharp-readable image into RGB or RGBA raw pixels (alpha kept when present). */
export async function decodeToRaw(input: Buffer): Promise<RawImage> {
  const { data, info } = await sharp(input).rotate().raw().toBuffer({ resolveWithObject: true });
  if (info.channels === 3 || info.channels === 4) {
    return { data, width: info.width, height: info.height, channels: info.channels };
  }
  const rgb = await sharp(input)
    .rotate()
    .toColourspace('srgb')
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data: rgb.data, width: rgb.info.width, height: rgb.info.height, channels: 3 };
}

export function rawToSharp(img: RawImage): Sharp {
  return sharp(img.data, { raw: { width: img.width, height: img.height, channels: img.channels } });
}

/** Drops alpha (or returns the same image when it has none). */
export function toRgb(img: RawImage): RawImage {
  if (img.channels === 3) return img;
  const n = pixelCount(img);
  const out = Buffer.allocUnsafe(n * 3);
  for (let i = 0; i < n; i++) {
    out[i * 3] = img.data[i * 4]!;
    out[i * 3 + 1] = img.data[i * 4 + 1]!;
    out[i * 3 + 2] = img.data[i * 4 + 2]!;
  }
  return { data: out, width: img.width, height: img.height, channels: 3 };
}
