import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { FACE_INPUT_LONG_SIDE } from './faces.ts';
import { ingestBytes } from './ingest.ts';
import { ANALYSIS_MIN_LONG_SIDE, analysisScale } from './subjects.ts';

const limits = { maxUploadBytes: 64 * 1024 * 1024, maxInputPixels: 50_000_000 };

const photo = (width: number, height: number, format: 'jpeg' | 'webp' | 'png') =>
  sharp({ create: { width, height, channels: 3, background: '#6a8' } })
    .toFormat(format)
    .toBuffer();

describe('analysisScale', () => {
  it('decodes a JPEG at its own DCT scale when that lands between the analysis sizes, and at FACE_INPUT_LONG_SIDE otherwise', () => {
    const jpeg = (width: number, height: number) => analysisScale({ width, height, format: 'jpeg' });
    expect(jpeg(4000, 3000)).toBe(1 / 8);
    expect(jpeg(3024, 4032)).toBe(1 / 8);
    expect(jpeg(2560, 1600)).toBe(1 / 4);
    expect(jpeg(1280, 960)).toBe(1 / 2);
    // 1/8 is 375 px, under the floor; 1/4 is 750, over the ceiling.
    expect(jpeg(3000, 2000)).toBe(FACE_INPUT_LONG_SIDE / 3000);
    expect(jpeg(600, 400)).toBe(1);
    // Other codecs scale to the ceiling (WebP shrinks on load to any size; PNG decodes in full).
    expect(analysisScale({ width: 4000, height: 3000, format: 'webp' })).toBe(FACE_INPUT_LONG_SIDE / 4000);
    expect(analysisScale({ width: 4000, height: 3000, format: 'png' })).toBe(FACE_INPUT_LONG_SIDE / 4000);
  });

  it('gives the pixels a 12 MP JPEG decodes to at 1/8, and never less than the floor', async () => {
    for (const [width, height, want] of [
      [4000, 3000, [500, 375]],
      [4032, 3024, [504, 378]],
    ] as const) {
      const image = await ingestBytes(await photo(width, height, 'jpeg'), { limits });
      const raw = await image.decodeRaw(analysisScale(image), '#ffffff', 'analysis');
      expect([raw.width, raw.height]).toEqual(want);
      expect(Math.max(raw.width, raw.height)).toBeGreaterThanOrEqual(ANALYSIS_MIN_LONG_SIDE);
    }
    const png = await ingestBytes(await photo(4000, 3000, 'png'), { limits });
    expect((await png.decodeRaw(analysisScale(png), '#ffffff')).width).toBe(FACE_INPUT_LONG_SIDE);
  });
});
