import sharp from 'sharp';
import type { Size } from './geometry.ts';
import type { RawImage, RawMask } from './local/raw-image.ts';

/** The formats a studio result is saved in. */
export type StudioFormat = 'png' | 'jpeg' | 'webp';

/** Encodes raw pixels; JPEG drops alpha onto white because it has none. */
export async function encodeRaw(img: RawImage, format: StudioFormat): Promise<Buffer> {
  const p = sharp(img.data, { raw: { width: img.width, height: img.height, channels: img.channels } });
  if (format === 'jpeg') return p.flatten({ background: '#ffffff' }).jpeg({ quality: 92 }).toBuffer();
  if (format === 'webp') return p.webp({ quality: 92, alphaQuality: 100 }).toBuffer();
  return p.png().toBuffer();
}

/** Re-encodes provider bytes to the requested format when they came back in another one. */
export async function toFormat(bytes: Buffer, format: StudioFormat): Promise<Buffer> {
  const meta = await sharp(bytes).metadata();
  if (meta.format === format) return bytes;
  const p = sharp(bytes);
  if (format === 'jpeg') return p.flatten({ background: '#ffffff' }).jpeg({ quality: 92 }).toBuffer();
  if (format === 'webp') return p.webp({ quality: 92 }).toBuffer();
  return p.png().toBuffer();
}

/** A single-channel mask as the grey PNG providers take. */
export function encodeMask(mask: RawMask): Promise<Buffer> {
  return sharp(Buffer.from(mask.data), { raw: { width: mask.width, height: mask.height, channels: 1 } })
    .png()
    .toBuffer();
}

/** Provider bytes (a cut-out) decoded to RGBA at exactly `size`, stretched if they came back at another. */
export async function decodeRgbaAt(bytes: Buffer, size: Size): Promise<RawImage> {
  const { data, info } = await sharp(bytes)
    .resize(size.width, size.height, { fit: 'fill' })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: 4 };
}
