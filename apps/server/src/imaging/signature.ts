import sharp from 'sharp';
import type { RawImage } from './ingest.ts';

/** Side of the square the palette is read from: 4096 pixels say enough about a picture's colours. */
const PALETTE_SIDE = 64;

/** What the library compares pictures by, read from one decode of the image. */
export interface ImageSignature {
  /** 64-bit difference hash (16 hex digits): brightness gradients of a 9×8 greyscale, blind to size and encoding. */
  dhash: string;
  /** The picture shrunk to PALETTE_SIDE² sRGB pixels (RGB, row-major), for the palette. */
  rgb: Buffer;
}

/**
 * From the pixels the rest of the analysis reads too (upright, alpha flattened on white, sRGB), so
 * a 12 MP photo is decoded once for hash, palette, objects and text alike.
 */
export async function imageSignature(image: RawImage): Promise<ImageSignature> {
  const rgb = await sharp(image.data, {
    raw: { width: image.width, height: image.height, channels: image.channels },
  })
    .removeAlpha()
    .resize(PALETTE_SIDE, PALETTE_SIDE, { fit: 'fill', kernel: 'lanczos3' })
    .raw()
    .toBuffer();
  const grey = await sharp(rgb, { raw: { width: PALETTE_SIDE, height: PALETTE_SIDE, channels: 3 } })
    .greyscale()
    .resize(9, 8, { fit: 'fill' })
    .raw()
    .toBuffer();
  let hex = '';
  for (let y = 0; y < 8; y++) {
    let byte = 0;
    for (let x = 0; x < 8; x++) {
      const left = grey[y * 9 + x] ?? 0;
      const right = grey[y * 9 + x + 1] ?? 0;
      byte = (byte << 1) | (left < right ? 1 : 0);
    }
    hex += byte.toString(16).padStart(2, '0');
  }
  return { dhash: hex, rgb };
}
