import { describe, expect, it } from 'vitest';
import { aspectFits, fitScale, stabilityUpscaleLimits } from './fit-input.ts';

describe('fitting inputs to Stability upscale limits', () => {
  it('enlarges inputs below the minimum side and pixel count', () => {
    const s = fitScale({ width: 40, height: 30 }, stabilityUpscaleLimits('conservative'));
    expect(Math.floor(30 * s)).toBeGreaterThanOrEqual(64);
  });
  it('shrinks inputs above the maximum pixels or side', () => {
    const creative = fitScale({ width: 2000, height: 1500 }, stabilityUpscaleLimits('creative'));
    expect(Math.floor(2000 * creative) * Math.floor(1500 * creative)).toBeLessThanOrEqual(1_048_576);
    const fast = fitScale({ width: 3000, height: 200 }, stabilityUpscaleLimits('fast'));
    expect(Math.floor(3000 * fast)).toBeLessThanOrEqual(1536);
  });
  it('leaves inputs that fit alone and reports aspect ratios no resize can fix', () => {
    expect(fitScale({ width: 512, height: 512 }, stabilityUpscaleLimits('conservative'))).toBe(1);
    expect(aspectFits({ width: 1000, height: 100 }, stabilityUpscaleLimits('conservative'))).toBe(false);
    expect(aspectFits({ width: 1000, height: 500 }, stabilityUpscaleLimits('conservative'))).toBe(true);
  });
});
