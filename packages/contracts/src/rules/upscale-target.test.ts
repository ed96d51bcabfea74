import { describe, expect, it } from 'vitest';
import { exceedsMaxOutput, scaleFactor, upscaleTargetSize } from './upscale-target.ts';

describe('upscaleTargetSize', () => {
  const landscape = { width: 400, height: 300 };

  it.each([
    [{ preset: 'web' as const }, 2048, 1536, 'preset web'],
    [{ preset: 'social' as const }, 1080, 810, 'preset social'],
    [{ preset: 'print' as const, dpi: 300, printHeightIn: 6 }, 2400, 1800, 'print at 300 dpi'],
    [{ preset: 'print' as const, dpi: 300 }, 3072, 2304, 'preset print'],
    [{ targetWidth: 1001 }, 1001, 751, 'target_width'],
    [{ targetHeight: 599 }, 799, 599, 'target_height'],
    [
      { targetWidth: 500, targetHeight: 500, preset: 'web' as const },
      500,
      500,
      'target_width × target_height',
    ],
    [{}, 1600, 1200, '4×'],
  ])('%o → %i × %i (%s)', (request, width, height, source) => {
    expect(upscaleTargetSize(landscape, request)).toEqual({ width, height, source });
  });

  it('takes the long side of a portrait image and goes by another factor when told', () => {
    expect(upscaleTargetSize({ width: 300, height: 400 }, { preset: 'web' })).toMatchObject({
      width: 1536,
      height: 2048,
    });
    expect(upscaleTargetSize({ width: 333, height: 101 }, {}, 2)).toEqual({
      width: 666,
      height: 202,
      source: '2×',
    });
  });

  it('never rounds a side down to zero', () => {
    expect(upscaleTargetSize({ width: 5000, height: 1 }, { targetWidth: 100 })).toMatchObject({ height: 1 });
  });

  it('knows the server maximum and the factor of a size', () => {
    expect(exceedsMaxOutput({ width: 6000, height: 6000 })).toBe(false);
    expect(exceedsMaxOutput({ width: 6001, height: 6000 })).toBe(true);
    expect(scaleFactor(landscape, { width: 800, height: 1200 })).toBe(4);
  });
});
