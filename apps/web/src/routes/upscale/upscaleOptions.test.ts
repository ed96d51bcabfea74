import { describe, expect, it } from 'vitest';
import { outputSize, plan, targetFields } from './upscaleOptions.ts';

const src = { width: 640, height: 480 };

describe('upscale target on the screen', () => {
  it('shows the size the server makes for each choice', () => {
    expect(outputSize(src, { choice: '2x', width: null, height: null })).toMatchObject({
      width: 1280,
      height: 960,
    });
    expect(outputSize(src, { choice: '4x', width: null, height: null })).toMatchObject({
      width: 2560,
      height: 1920,
    });
    expect(outputSize(src, { choice: 'web', width: null, height: null })).toMatchObject({
      width: 2048,
      height: 1536,
    });
    expect(
      outputSize({ width: 480, height: 640 }, { choice: 'social', width: null, height: null }),
    ).toMatchObject({
      width: 810,
      height: 1080,
    });
    expect(outputSize(src, { choice: 'exact', width: 1000, height: null })).toMatchObject({
      width: 1000,
      height: 750,
    });
    expect(outputSize(null, { choice: 'exact', width: 900, height: 100 })).toEqual({
      width: 900,
      height: 100,
    });
    expect(outputSize(null, { choice: 'web', width: null, height: null })).toBeNull();
    expect(outputSize(src, { choice: 'exact', width: null, height: null })).toBeNull();
  });

  it('sends a factor as the exact sizes it gives and a preset by name', () => {
    expect(targetFields(src, { choice: '2x', width: null, height: null })).toEqual({
      target_width: 1280,
      target_height: 960,
    });
    expect(targetFields(src, { choice: 'print', width: null, height: null })).toEqual({ preset: 'print' });
  });

  it('plans auto up to 2× as a local resize', () => {
    const noKey = () => false;
    expect(plan('auto', src, { width: 1280, height: 960 }, noKey)).toMatchObject({
      mode: 'fast',
      route: 'local',
    });
    expect(plan('auto', src, { width: 2560, height: 1920 }, () => true)).toMatchObject({
      mode: 'conservative',
      route: 'cloud',
    });
  });
});
