import sharp from 'sharp';
import type { Size } from './geometry.ts';
import type { RawImage } from './ingest.ts';

/**
 * A decoded image resized to `size`, as decoded pixels of their own scale (raw pixels per source
 * pixel along the width), so crops in source pixels still map onto it.
 */
export async function resizedRaw(raw: RawImage, size: Size): Promise<RawImage> {
  const { data, info } = await sharp(raw.data, {
    raw: { width: raw.width, height: raw.height, channels: raw.channels },
  })
    .resize(size.width, size.height, { fit: 'fill' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return {
    data,
    width: info.width,
    height: info.height,
    channels: raw.channels,
    scale: raw.scale * (info.width / raw.width),
  };
}
