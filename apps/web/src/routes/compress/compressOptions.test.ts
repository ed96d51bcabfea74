import { crc32 as nodeCrc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { formatKb, fromDataUrl, INITIAL, outputNames, requestFor } from './compressOptions.ts';
import { crc32, zip } from './zip.ts';

describe('compress options to the request', () => {
  it('quality mode sends the quality and no target; target mode sends the target in KB', () => {
    expect(requestFor(INITIAL)).toEqual({
      kind: 'compress',
      fields: { format: 'jpeg', quality: 85, target_size_kb: null, strip_metadata: true },
    });
    expect(
      requestFor({ ...INITIAL, sizing: 'target', targetKb: 150, format: 'webp', stripMetadata: false }),
    ).toEqual({
      kind: 'compress',
      fields: { format: 'webp', quality: 85, target_size_kb: 150, strip_metadata: false },
    });
  });

  it('convert mode sends the target format, quality, metadata and transparency', () => {
    expect(
      requestFor({
        ...INITIAL,
        mode: 'convert',
        convertTo: 'tiff',
        quality: 70,
        preserveTransparency: false,
      }),
    ).toEqual({
      kind: 'convert',
      fields: { target_format: 'tiff', quality: 70, strip_metadata: true, preserve_transparency: false },
    });
  });

  it('names outputs after their inputs with the new extension, clashes numbered', () => {
    expect(outputNames(['beach.png', 'beach.webp', 'IMG 1.HEIC', 'noext', '.png'], 'jpeg')).toEqual([
      'beach.jpg',
      'beach-2.jpg',
      'IMG 1.jpg',
      'noext.jpg',
      'image.jpg',
    ]);
    expect(outputNames(['scan.png'], 'tiff')).toEqual(['scan.tif']);
  });

  it('reads a data URL answer into bytes and its MIME type, and refuses anything else', () => {
    const { mime, bytes } = fromDataUrl(`data:image/webp;base64,${btoa('RIFF1234WEBP')}`);
    expect(mime).toBe('image/webp');
    expect(new TextDecoder().decode(bytes)).toBe('RIFF1234WEBP');
    expect(() => fromDataUrl('')).toThrow('The server answered without an image.');
  });

  it('formats sizes the way the results show them', () => {
    expect([formatKb(2.34), formatKb(240.4), formatKb(1536)]).toEqual(['2.3 KB', '240 KB', '1.5 MB']);
  });
});

describe('zip', () => {
  it('computes the same CRC-32 as zlib', () => {
    const bytes = new TextEncoder().encode('123456789');
    expect(crc32(bytes)).toBe(0xcbf43926);
    const noise = Uint8Array.from({ length: 5000 }, (_, i) => (i * 7919) % 251);
    expect(crc32(noise)).toBe(nodeCrc32(noise));
  });

  it('stores each entry with its name, size and CRC, and a central directory that points at them', () => {
    const a = new TextEncoder().encode('first file');
    const b = Uint8Array.from({ length: 3000 }, (_, i) => i % 256);
    const out = Buffer.from(
      zip([
        { name: 'a.jpg', bytes: a },
        { name: 'ünï.webp', bytes: b },
      ]),
    );
    const end = out.length - 22;
    expect(out.readUInt32LE(end)).toBe(0x06054b50);
    expect(out.readUInt16LE(end + 10)).toBe(2);
    let dir = out.readUInt32LE(end + 16);
    const seen: { name: string; data: Buffer }[] = [];
    for (let i = 0; i < 2; i++) {
      expect(out.readUInt32LE(dir)).toBe(0x02014b50);
      const nameLength = out.readUInt16LE(dir + 28);
      const local = out.readUInt32LE(dir + 42);
      const size = out.readUInt32LE(dir + 24);
      const crc = out.readUInt32LE(dir + 16);
      expect(out.readUInt32LE(local)).toBe(0x04034b50);
      expect(out.readUInt16LE(local + 8)).toBe(0);
      const start = local + 30 + out.readUInt16LE(local + 26);
      const data = out.subarray(start, start + size);
      expect(nodeCrc32(data)).toBe(crc);
      seen.push({ name: out.subarray(dir + 46, dir + 46 + nameLength).toString('utf8'), data });
      dir += 46 + nameLength;
    }
    expect(seen.map((e) => e.name)).toEqual(['a.jpg', 'ünï.webp']);
    expect(seen[0]?.data.equals(Buffer.from(a))).toBe(true);
    expect(seen[1]?.data.equals(Buffer.from(b))).toBe(true);
  });
});
