import { createHash } from 'node:crypto';
import sharp from 'sharp';

export type FakeFormat = 'png' | 'jpeg' | 'webp';

/** A real image of the asked size: a diagonal gradient whose colours come from a hash of `seedText`. */
export async function renderFakeImage(
  width: number,
  height: number,
  seedText: string,
  format: FakeFormat = 'png',
) {
  const h = createHash('sha256').update(seedText).digest();
  const a = [h[0]!, h[1]!, h[2]!];
  const b = [h[3]!, h[4]!, h[5]!];
  const raw = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const t = (x / Math.max(1, width - 1) + y / Math.max(1, height - 1)) / 2;
      const i = (y * width + x) * 3;
      raw[i] = a[0]! + (b[0]! - a[0]!) * t;
      raw[i + 1] = a[1]! + (b[1]! - a[1]!) * t;
      raw[i + 2] = a[2]! + (b[2]! - a[2]!) * t;
    }
  }
  const img = sharp(raw, { raw: { width, height, channels: 3 } });
  if (format === 'jpeg') return img.jpeg({ quality: 80 }).toBuffer();
  if (format === 'webp') return img.webp({ quality: 80 }).toBuffer();
  return img.png({ compressionLevel: 1 }).toBuffer();
}

export const mimeOf = (format: FakeFormat) => `image/${format}`;

/** Width/height of uploaded image bytes, or undefined when they are not an image. */
export async function probe(
  bytes: Buffer,
): Promise<{ width: number; height: number; hasAlpha: boolean } | undefined> {
  try {
    const m = await sharp(bytes).metadata();
    return m.width && m.height
      ? { width: m.width, height: m.height, hasAlpha: m.hasAlpha === true }
      : undefined;
  } catch {
    return undefined;
  }
}

export const hashHex = (text: string, length = 32) =>
  createHash('sha256').update(text).digest('hex').slice(0, length);
