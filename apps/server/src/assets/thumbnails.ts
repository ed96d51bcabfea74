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

/**
 * Both WebP thumbnails and the thumbhash from one decode of the image. WebP effort 2 instead of the
 * default 4: a 20-format social export spent most of its time here, for no visible difference.
 */
export async function makeThumbnails(bytes: Buffer): Promise<Thumbnails> {
  const base = sharp(bytes, { failOn: 'none' }).rotate();
  const large = await base
    .clone()
    .resize(THUMB_SIZES.large, THUMB_SIZES.large, { fit: 'inside', withoutEnlargement: true })
    .webp({ quality: 80, effort: 2 })
    .toBuffer();
  const small = await sharp(large)
    .resize(THUMB_SIZES.small, THUMB_SIZES.small, { fit: 'inside', withoutEnlargement: true })
    .webp({ quality: 75, effort: 2 })
    .toBuffer();
  const { data, info } = await sharp(small)
    .resize(100, 100, { fit: 'inside' })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const hash = rgbaToThumbHash(info.width, info.height, data);
  return { small, large, thumbhash: Buffer.from(hash).toString('base64') };
}
