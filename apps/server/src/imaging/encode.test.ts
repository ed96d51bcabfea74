import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import { compressImage, convertImage, parseColorSpace, parseEncodeFormat } from './encode.ts';
import { ingestBytes } from './ingest.ts';
import { noise, sceneWithSubject } from './test-images.ts';

const limits = { maxUploadBytes: 10 * 1024 * 1024, maxInputPixels: 50_000_000 };

describe('compress', () => {
  it('meets a target size by lowering quality, reporting what it used', async () => {
    const img = await ingestBytes(await noise(300, 200, 'png'), { limits });
    const out = await compressImage(img, { format: 'jpeg', quality: 90, targetSizeKb: 40 });
    expect(out.bytes.length).toBeLessThanOrEqual(40 * 1024);
    expect(out.targetMet).toBe(true);
    expect(out.qualityUsed).toBeLessThan(90);
    expect(out.compressionRatio).toBeGreaterThan(0);
    const meta = await sharp(out.bytes).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 300, 200]);
  });

  it('keeps the requested quality when no target is given, and strips metadata', async () => {
    const src = await sharp(await sceneWithSubject(300, 200, { left: 10, top: 10, width: 50, height: 50 }))
      .withExif({ IFD0: { Artist: 'x' } })
      .jpeg()
      .toBuffer();
    const out = await compressImage(await ingestBytes(src, { limits }), { format: 'webp', quality: 70 });
    expect(out.qualityUsed).toBe(70);
    expect(out.metadataStripped).toBe(true);
    const meta = await sharp(out.bytes).metadata();
    expect(meta.format).toBe('webp');
    expect(meta.exif).toBeUndefined();
  });

  it('shrinks a PNG towards a target through palette quantisation', async () => {
    const img = await ingestBytes(
      await sceneWithSubject(500, 400, { left: 100, top: 100, width: 150, height: 150 }),
      { limits },
    );
    const lossless = await compressImage(img, { format: 'png' });
    const target = Math.floor((lossless.bytes.length * 0.5) / 1024);
    const out = await compressImage(img, { format: 'png', targetSizeKb: target });
    expect(out.bytes.length).toBeLessThan(lossless.bytes.length);
    expect(out.targetMet).toBe(out.bytes.length <= target * 1024);
  });

  it('says so when the target cannot be met', async () => {
    const img = await ingestBytes(await noise(300, 300, 'png'), { limits });
    const out = await compressImage(img, { format: 'png', targetSizeKb: 10 });
    expect(out.targetMet).toBe(false);
    expect(out.qualityUsed).toBe(1);
  });
});

describe('convert', () => {
  const transparent = () =>
    sharp({ create: { width: 64, height: 32, channels: 4, background: { r: 255, g: 0, b: 0, alpha: 0.25 } } })
      .png()
      .toBuffer();

  it('keeps transparency in WebP and flattens onto white for JPEG', async () => {
    const img = await ingestBytes(await transparent(), { limits });
    const webp = await convertImage(img, { format: 'webp' });
    expect(webp.transparencyPreserved).toBe(true);
    expect((await sharp(webp.bytes).metadata()).hasAlpha).toBe(true);
    const jpeg = await convertImage(img, { format: 'jpeg' });
    expect(jpeg.transparencyPreserved).toBe(false);
    const { data } = await sharp(jpeg.bytes).raw().toBuffer({ resolveWithObject: true });
    expect(data[0]).toBeGreaterThan(240);
    expect(data[1]).toBeGreaterThan(150);
    expect(jpeg.originalFormat).toBe('png');
  });

  it('writes a valid 24-bit BMP', async () => {
    const img = await ingestBytes(await transparent(), { limits });
    const bmp = await convertImage(img, { format: 'bmp' });
    expect(bmp.bytes.subarray(0, 2).toString('latin1')).toBe('BM');
    expect(bmp.bytes.readInt32LE(18)).toBe(64);
    expect(bmp.bytes.readInt32LE(22)).toBe(32);
    expect(bmp.bytes.length).toBe(54 + 64 * 3 * 32);
  });

  it('converts to GIF, TIFF and AVIF with exact sizes, P3 on request', async () => {
    const img = await ingestBytes(await noise(50, 40, 'jpeg'), { limits });
    for (const format of ['gif', 'tiff', 'avif', 'png'] as const) {
      const out = await convertImage(img, { format });
      const meta = await sharp(out.bytes).metadata();
      expect([meta.format === 'heif' ? 'avif' : meta.format, meta.width, meta.height]).toEqual([
        format,
        50,
        40,
      ]);
    }
    const p3 = await convertImage(img, { format: 'jpeg', colorSpace: 'p3' });
    expect((await sharp(p3.bytes).metadata()).icc).toBeDefined();
  });

  it('parses the seed spellings and refuses what it cannot do', () => {
    expect(parseEncodeFormat('JPG')).toBe('jpeg');
    expect(parseColorSpace('sRGB')).toBe('srgb');
    expect(() => parseEncodeFormat('heic')).toThrow(AppError);
    expect(() => parseColorSpace('Adobe RGB')).toThrow(AppError);
  });
});
