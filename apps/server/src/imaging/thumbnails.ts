import sharp from 'sharp';
import { rgbaToThumbHash } from 'thumbhash';

export const THUMB_SIZES = { small: 256, large: 1024 } as const;
export type ThumbSize = keyof typeof THUMB_SIZES;

export interface Thumbnails {
  small: Buffer;
  large: Buffer;
  /** base64 ThumbHash: a ~25-byte placeholder the web app paints before the thumbnail arrives. */
  thumbhash: string;
}

/** Decoded pixels as sharp returns them from `.raw().toBuffer({ resolveWithObject: true })`. */
export interface RawPixels {
  data: Buffer;
  info: { width: number; height: number; channels: 1 | 2 | 3 | 4 };
}

/** Thumbnails of stored image bytes. */
export async function makeThumbnails(bytes: Buffer): Promise<Thumbnails> {
  const large = await sharp(bytes, { failOn: 'none' })
    .rotate()
    .resize(THUMB_SIZES.large, THUMB_SIZES.large, { fit: 'inside', withoutEnlargement: true })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return thumbnailsOf(large);
}

/** The size the large thumbnail of a `width`×`height` image has (fit inside, never enlarged). */
export function largeThumbSize(width: number, height: number): { width: number; height: number } {
  const k = Math.min(1, THUMB_SIZES.large / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * k)), height: Math.max(1, Math.round(height * k)) };
}

/**
 * Both WebP thumbnails and the thumbhash from the large thumbnail's pixels: decoded from stored
 * bytes, or rendered by a caller that already holds the picture (the Social Optimizer draws its
 * outputs' thumbnails from its decoded source instead of decoding every JPEG it just wrote).
 * WebP effort 2 instead of the default 4: a 20-format social export spent most of its time here,
 * for no visible difference.
 */
export async function thumbnailsOf(large: RawPixels): Promise<Thumbnails> {
  const raw = { raw: large.info };
  const [largeWebp, small] = await Promise.all([
    sharp(large.data, raw).webp({ quality: 80, effort: 2 }).toBuffer(),
    sharp(large.data, raw)
      .resize(THUMB_SIZES.small, THUMB_SIZES.small, { fit: 'inside', withoutEnlargement: true })
      .raw()
      .toBuffer({ resolveWithObject: true }),
  ]);
  const smallRaw = { raw: small.info };
  const [smallWebp, hashInput] = await Promise.all([
    sharp(small.data, smallRaw).webp({ quality: 75, effort: 2 }).toBuffer(),
    sharp(small.data, smallRaw)
      .resize(100, 100, { fit: 'inside' })
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true }),
  ]);
  const hash = rgbaToThumbHash(hashInput.info.width, hashInput.info.height, hashInput.data);
  return { small: smallWebp, large: largeWebp, thumbhash: Buffer.from(hash).toString('base64') };
}
