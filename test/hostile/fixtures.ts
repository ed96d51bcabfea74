import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { noise, pngHeaderOnly } from '../../apps/server/src/imaging/test-images.ts';

/**
 * Hostile and unusual inputs, all generated here so no binary is committed. Each rejected fixture
 * names the status and stable error code the ingest path must answer with.
 */
export interface HostileImage {
  name: string;
  bytes: Buffer;
  status: number;
  code: string;
}

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

function ihdr(width: number, height: number, bitDepth: number, colourType: number): Buffer {
  const h = Buffer.alloc(13);
  h.writeUInt32BE(width, 0);
  h.writeUInt32BE(height, 4);
  h.writeUInt8(bitDepth, 8);
  h.writeUInt8(colourType, 9);
  return pngChunk('IHDR', h);
}

/**
 * A real decompression bomb: a complete 1-bit greyscale PNG of `side`×`side` black pixels whose
 * deflate stream is a few tens of KB but inflates to side²/8 bytes (and side² pixels once decoded).
 */
export function compressionBomb(side = 20_000): Buffer {
  const row = Buffer.alloc(1 + Math.ceil(side / 8));
  const rows = Buffer.alloc(row.length * side);
  return Buffer.concat([
    PNG_MAGIC,
    ihdr(side, side, 1, 0),
    pngChunk('IDAT', deflateSync(rows, { level: 9 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * An animated GIF of `frames` frames on a `side`×`side` screen, each frame one pixel of LZW data
 * (min code size 2: clear, index 0, end = 0x44 0x01), so the file stays small however many frames.
 */
export function manyFrameGif(frames = 1000, side = 256): Buffer {
  const screen = Buffer.alloc(7);
  screen.writeUInt16LE(side, 0);
  screen.writeUInt16LE(side, 2);
  screen.writeUInt8(0x80, 4); // global colour table of 2 entries
  const palette = Buffer.from([0, 0, 0, 255, 255, 255]);
  const loop = Buffer.from([0x21, 0xff, 0x0b, ...Buffer.from('NETSCAPE2.0'), 0x03, 0x01, 0, 0, 0]);
  const frame = Buffer.from([
    0x21,
    0xf9,
    0x04,
    0x00,
    0x01,
    0x00,
    0x00,
    0x00, // graphic control: 10 ms
    0x2c,
    0,
    0,
    0,
    0,
    0x01,
    0x00,
    0x01,
    0x00,
    0x00, // 1×1 image at the origin
    0x02,
    0x02,
    0x44,
    0x01,
    0x00, // LZW data
  ]);
  const frameList: Buffer[] = [];
  for (let i = 0; i < frames; i++) frameList.push(frame);
  return Buffer.concat([Buffer.from('GIF89a'), screen, palette, loop, ...frameList, Buffer.from([0x3b])]);
}

/** A small JPEG whose frame header (SOF0) is rewritten to declare `width`×`height`. */
async function jpegDeclaring(width: number, height: number): Promise<Buffer> {
  const jpeg = Buffer.from(
    await sharp({ create: { width: 16, height: 16, channels: 3, background: '#888' } })
      .jpeg()
      .toBuffer(),
  );
  const sof = jpeg.indexOf(Buffer.from([0xff, 0xc0]));
  jpeg.writeUInt16BE(height, sof + 5);
  jpeg.writeUInt16BE(width, sof + 7);
  return jpeg;
}

/** A small lossy WebP whose VP8 frame header is rewritten to declare `width`×`height` (≤ 16383). */
async function webpDeclaring(width: number, height: number): Promise<Buffer> {
  const webp = Buffer.from(
    await sharp({ create: { width: 16, height: 16, channels: 3, background: '#888' } })
      .webp()
      .toBuffer(),
  );
  const frame = webp.indexOf(Buffer.from([0x9d, 0x01, 0x2a])) + 3;
  webp.writeUInt16LE(width, frame);
  webp.writeUInt16LE(height, frame + 2);
  return webp;
}

const half = (b: Buffer) => b.subarray(0, Math.floor(b.length / 2));

const svg = (body: string, prolog = '') =>
  Buffer.from(`${prolog}<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64">${body}</svg>`);

/** Every image a request may carry that must be refused, with the answer it must get. */
export async function hostileImages(): Promise<HostileImage[]> {
  const [jpeg, png, webp] = await Promise.all([
    noise(240, 160, 'jpeg'),
    noise(240, 160, 'png'),
    noise(240, 160, 'webp'),
  ]);
  const wrongMagic = Buffer.from(png);
  wrongMagic[0] = 0x88;
  const unsafe = (name: string, bytes: Buffer): HostileImage => ({
    name,
    bytes,
    status: 400,
    code: 'unsafe_svg',
  });
  const invalid = (name: string, bytes: Buffer): HostileImage => ({
    name,
    bytes,
    status: 400,
    code: 'invalid_image',
  });
  return [
    invalid('zero bytes', Buffer.alloc(0)),
    invalid('truncated JPEG', half(jpeg)),
    invalid('truncated PNG', half(png)),
    invalid('truncated WebP', half(webp)),
    { name: 'wrong magic', bytes: wrongMagic, status: 415, code: 'unsupported_media_type' },
    {
      name: 'a PDF named .png',
      bytes: Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\n'),
      status: 415,
      code: 'unsupported_media_type',
    },
    invalid(
      'JPEG magic on PNG data',
      Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), png.subarray(8)]),
    ),
    {
      name: 'PNG declaring 100000×100000',
      bytes: pngHeaderOnly(100_000, 100_000),
      status: 413,
      code: 'too_many_pixels',
    },
    { name: 'compression bomb', bytes: compressionBomb(), status: 413, code: 'too_many_pixels' },
    {
      name: 'JPEG declaring 60000×60000',
      bytes: await jpegDeclaring(60_000, 60_000),
      status: 413,
      code: 'too_many_pixels',
    },
    {
      name: 'WebP declaring 16383×16383',
      bytes: await webpDeclaring(16_383, 16_383),
      status: 413,
      code: 'too_many_pixels',
    },
    { name: '1000-frame GIF', bytes: manyFrameGif(), status: 413, code: 'too_many_pixels' },
    unsafe('SVG with script', svg('<script>fetch("http://evil.test/")</script><rect width="9" height="9"/>')),
    unsafe(
      'SVG with an external entity',
      svg(
        '<text>&xxe;</text>',
        '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
      ),
    ),
    unsafe('SVG with a remote image', svg('<image href="https://evil.test/x.png" width="9" height="9"/>')),
    unsafe('SVG with a remote xlink:href', svg('<use xlink:href="http://169.254.169.254/latest#x"/>')),
    unsafe(
      'SVG with a CSS-escaped url(',
      svg('<style>rect{fill:u\\72l(http://evil.test/p.svg#p)}</style><rect width="9" height="9"/>'),
    ),
    unsafe(
      'SVG with a CSS-escaped url( in a style attribute',
      svg('<rect width="9" height="9" style="fill:\\75 rl(https://evil.test/p.svg#p)"/>'),
    ),
    unsafe(
      'SVG with an entity-encoded href',
      svg('<image href="&#104;ttps://evil.test/x.png" width="9" height="9"/>'),
    ),
    // Built to make a backtracking pattern re-scan the document from every position.
    invalid('SVG of 400 KB of unclosed <', Buffer.from(`<svg ${'<'.repeat(400_000)}`)),
    unsafe('SVG of 400 KB of url(', Buffer.from(`<svg ${'url('.repeat(100_000)}`)),
    unsafe('SVG of 400 KB of <!DOCTYPE[', Buffer.from(`<svg ${'<!DOCTYPE['.repeat(40_000)}`)),
    invalid(
      'GIF/JavaScript polyglot',
      Buffer.from('GIF89a/*\x00\x00*/=1;fetch("http://evil.test/");/*\x3b*/'),
    ),
    invalid(
      'PNG with an HTML payload after IEND',
      Buffer.concat([png, Buffer.from('<html><script>alert(1)</script></html>')]),
    ),
  ];
}

/** A JPEG whose EXIF orientation is `orientation`, stored as `width`×`height` before rotation. */
export async function orientedJpeg(orientation: number, width = 60, height = 40): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#c04030' } })
    .jpeg()
    .withMetadata({ orientation })
    .toBuffer();
}

/** A CMYK JPEG: valid, but needs converting to sRGB before anything else reads it. */
export async function cmykJpeg(width = 50, height = 30): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#3080c0' } })
    .toColourspace('cmyk')
    .jpeg()
    .toBuffer();
}

/** A 16-bit-per-channel PNG. */
export async function sixteenBitPng(width = 50, height = 30): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#30c080' } })
    .toColourspace('rgb16')
    .png()
    .toBuffer();
}
