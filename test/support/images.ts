import sharp from 'sharp';

/** A small PNG with a gradient and a solid square, different for every `seed`. */
export async function makePng(width = 64, height = 48, seed = 0): Promise<Buffer> {
  const raw = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      raw[i] = (x * 255) / width;
      raw[i + 1] = (y * 255) / height;
      raw[i + 2] = (seed * 37) % 256;
    }
  }
  return sharp(raw, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
}

/**
 * How different two pictures look: mean absolute difference per channel (0–255) after both are
 * scaled to 32×32, so encoders, sizes and formats do not matter, only what the picture shows.
 */
export async function lookDifference(a: Buffer, b: Buffer): Promise<number> {
  const small = (x: Buffer) =>
    sharp(x).resize(32, 32, { fit: 'fill' }).removeAlpha().toColourspace('srgb').raw().toBuffer();
  const [pa, pb] = await Promise.all([small(a), small(b)]);
  let sum = 0;
  for (let i = 0; i < pa.length; i++) sum += Math.abs((pa[i] ?? 0) - (pb[i] ?? 0));
  return sum / pa.length;
}
