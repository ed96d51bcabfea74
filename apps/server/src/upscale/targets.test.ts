import { describe, expect, it } from 'vitest';
import { upscaleTarget } from './targets.ts';

describe('upscale targets', () => {
  const src = { width: 400, height: 300 };
  it.each([
    [{ preset: 'web' as const }, 2048, 1536],
    [{ preset: 'print' as const }, 3072, 2304],
    [{ preset: 'social' as const }, 1080, 810],
    [{ preset: 'print' as const, dpi: 300, printWidthIn: 8, printHeightIn: 10 }, 2400, 3000],
    [{ preset: 'print' as const, dpi: 300, printWidthIn: 4 }, 1200, 900],
    [{ targetWidth: 1000, targetHeight: 1000 }, 1000, 1000],
    [{ targetWidth: 1000 }, 1000, 750],
    [{ targetHeight: 600, preset: 'web' as const }, 800, 600],
    [{}, 1600, 1200],
  ])('%o → %i × %i', (req, w, h) => {
    expect(upscaleTarget(src, req)).toMatchObject({ width: w, height: h });
  });

  it('uses the long side of portrait images', () => {
    expect(upscaleTarget({ width: 300, height: 400 }, { preset: 'web' })).toMatchObject({
      width: 1536,
      height: 2048,
    });
  });

  it('refuses outputs above the limit', () => {
    expect(() => upscaleTarget(src, { targetWidth: 16000, targetHeight: 16000 })).toThrow(/pixels/);
  });
});
