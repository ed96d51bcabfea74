import { describe, expect, it } from 'vitest';
import { findModel } from './catalog.ts';
import { nearestSize, parseAspectRatio, sizeForAspectRatio } from './sizing.ts';

const model = (provider: Parameters<typeof findModel>[0], id: string) => {
  const m = findModel(provider, id);
  if (!m) throw new Error(`no model ${id}`);
  return m;
};

describe('nearestSize', () => {
  it('picks the closest aspect ratio for ratio-based models', () => {
    const ultra = model('stability', 'ultra');
    expect(nearestSize(ultra, { width: 1920, height: 1080 })).toEqual({
      width: 1344,
      height: 768,
      aspectRatio: '16:9',
    });
    expect(nearestSize(ultra, { width: 1080, height: 1350 })).toEqual({
      width: 896,
      height: 1152,
      aspectRatio: '4:5',
    });
    expect(nearestSize(ultra, { width: 1500, height: 500 }).aspectRatio).toBe('21:9');
  });

  it('chooses the smallest size tier that covers the target', () => {
    const pro = model('gemini', 'gemini-3-pro-image');
    expect(nearestSize(pro, { width: 1000, height: 1000 })).toMatchObject({ sizeTier: '1K', width: 1024 });
    expect(nearestSize(pro, { width: 1920, height: 1080 })).toMatchObject({
      sizeTier: '2K',
      aspectRatio: '16:9',
      width: 2688,
      height: 1536,
    });
    expect(nearestSize(pro, { width: 9000, height: 9000 }).sizeTier).toBe('4K');
    expect(nearestSize(pro, { width: 100, height: 100 }, { sizeTier: '2K' }).width).toBe(2048);
  });

  it('keeps the aspect ratio and bounds for free-size models', () => {
    const flux = model('huggingface', 'black-forest-labs/FLUX.1-schnell');
    const s = nearestSize(flux, { width: 1920, height: 1080 });
    expect(Math.max(s.width, s.height)).toBeLessThanOrEqual(1440);
    expect(s.width % 16).toBe(0);
    expect(s.height % 16).toBe(0);
    expect(s.width / s.height).toBeCloseTo(16 / 9, 1);
    const small = nearestSize(flux, { width: 100, height: 50 });
    expect(Math.min(small.width, small.height)).toBeGreaterThanOrEqual(256);
  });

  it('maps an aspect ratio string to the model size', () => {
    expect(parseAspectRatio('16:9')).toBeCloseTo(16 / 9);
    expect(parseAspectRatio('nope')).toBeUndefined();
    expect(sizeForAspectRatio(model('stability', 'core'), '1:1')).toMatchObject({
      aspectRatio: '1:1',
      width: 1216,
    });
    expect(sizeForAspectRatio(model('gemini', 'gemini-3-pro-image'), '1:1', 'premium').sizeTier).toBe('2K');
  });
});
