import { crc32 } from 'node:zlib';
import sharp from 'sharp';

/** Generated fixtures shared by the imaging and social tests (never committed binaries). */

export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** A grey, mildly textured scene with one high-contrast subject (a drawn face) at `subject`. */
export async function sceneWithSubject(width: number, height: number, subject: Box): Promise<Buffer> {
  const { left, top, width: w, height: h } = subject;
  const cx = left + w / 2;
  const cy = top + h / 2;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
  <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">
    <stop offset="0" stop-color="#8a9299"/><stop offset="1" stop-color="#7d858c"/></linearGradient></defs>
  <rect width="100%" height="100%" fill="url(#g)"/>
  <ellipse cx="${cx}" cy="${cy}" rx="${w / 2}" ry="${h / 2}" fill="#f2c9a0" stroke="#3a2210" stroke-width="${Math.max(2, w / 30)}"/>
  <ellipse cx="${cx - w * 0.18}" cy="${cy - h * 0.12}" rx="${w * 0.08}" ry="${h * 0.06}" fill="#111"/>
  <ellipse cx="${cx + w * 0.18}" cy="${cy - h * 0.12}" rx="${w * 0.08}" ry="${h * 0.06}" fill="#111"/>
  <rect x="${cx - w * 0.04}" y="${cy - h * 0.02}" width="${w * 0.08}" height="${h * 0.16}" fill="#c98a5a"/>
  <rect x="${cx - w * 0.2}" y="${cy + h * 0.22}" width="${w * 0.4}" height="${h * 0.07}" fill="#9b1b1b"/>
</svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 90 }).toBuffer();
}

/** How a grainy photo is made: where its subject sits (as fractions of the size), grain, quality. */
export interface GrainyPhotoOptions {
  subject: Box;
  sigma: number;
  quality: number;
}

/**
 * A scene with film grain, as JPEG: compresses and decodes like a photograph (smooth areas, edges,
 * fine noise) at any size, made by code.
 */
export async function grainyPhoto(
  width: number,
  height: number,
  options: GrainyPhotoOptions,
): Promise<Buffer> {
  const { subject, sigma, quality } = options;
  const scene = await sceneWithSubject(width, height, {
    left: Math.round(width * subject.left),
    top: Math.round(height * subject.top),
    width: Math.round(width * subject.width),
    height: Math.round(height * subject.height),
  });
  const grain = await sharp({
    create: {
      width,
      height,
      channels: 3,
      background: '#808080',
      noise: { type: 'gaussian', mean: 128, sigma },
    },
  })
    .png({ compressionLevel: 0 })
    .toBuffer();
  return sharp(scene)
    .composite([{ input: grain, blend: 'soft-light' }])
    .jpeg({ quality })
    .toBuffer();
}

/** Four flat quadrants of different colours, so which part of the source shows, or which way it
 * was turned, can be read from the pixels. */
export async function quadrants(width: number, height: number): Promise<Buffer> {
  const w = width / 2;
  const h = height / 2;
  const tile = (r: number, g: number, b: number) =>
    sharp({ create: { width: w, height: h, channels: 3, background: { r, g, b } } })
      .png()
      .toBuffer();
  return sharp({ create: { width, height, channels: 3, background: '#000' } })
    .composite([
      { input: await tile(220, 30, 30), left: 0, top: 0 },
      { input: await tile(30, 220, 30), left: w, top: 0 },
      { input: await tile(30, 30, 220), left: 0, top: h },
      { input: await tile(220, 220, 30), left: w, top: h },
    ])
    .png()
    .toBuffer();
}

/** A PNG whose header declares `width`×`height` but carries no pixel data: a decompression bomb. */
export function pngHeaderOnly(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.writeUInt8(8, 8); // bit depth
  ihdr.writeUInt8(2, 9); // truecolour
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', Buffer.alloc(0)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Random noise compresses badly, which makes truncation land in the middle of pixel data. */
export async function noise(width: number, height: number, format: 'jpeg' | 'png' | 'webp'): Promise<Buffer> {
  const data = Buffer.alloc(width * height * 3);
  let state = 0x2545f491;
  for (let i = 0; i < data.length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    data[i] = state & 0xff;
  }
  return sharp(data, { raw: { width, height, channels: 3 } })
    .toFormat(format)
    .toBuffer();
}
