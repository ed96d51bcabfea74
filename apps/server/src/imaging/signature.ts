import sharp from 'sharp';

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
 * One decode, shrunk on load (a 12 MP JPEG is read at 1/8 scale), upright, alpha flattened on white.
 * The hash comes from the already small pixels, so a 12 MP photo costs one reduced decode.
 */
export async function imageSignature(bytes: Buffer): Promise<ImageSignature> {
  const rgb = await sharp(bytes, { failOn: 'none' })
    .rotate()
    .flatten({ background: '#ffffff' })
    .resize(PALETTE_SIDE, PALETTE_SIDE, { fit: 'fill', kernel: 'lanczos3' })
    .toColourspace('srgb')
    .removeAlpha()
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
