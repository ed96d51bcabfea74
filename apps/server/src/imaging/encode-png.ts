import sharp from 'sharp';

/** A rendered PNG as the format a caller asked for (quality 90 for the lossy ones). */
export async function encodePngAs(
  png: Uint8Array,
  format: 'png' | 'jpeg' | 'webp' | undefined,
): Promise<Buffer> {
  if (format === 'jpeg') return sharp(png).jpeg({ quality: 90 }).toBuffer();
  if (format === 'webp') return sharp(png).webp({ quality: 90 }).toBuffer();
  return Buffer.from(png);
}
