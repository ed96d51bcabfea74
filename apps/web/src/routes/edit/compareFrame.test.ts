import { describe, expect, it } from 'vitest';
import { placeOriginal } from './compareFrame.ts';

describe('the original inside an outpaint result', () => {
  it('sits where the added sides put it', () => {
    expect(
      placeOriginal(
        { width: 320, height: 240 },
        { width: 384, height: 280 },
        {
          left: 64,
          right: 0,
          up: 0,
          down: 40,
        },
      ),
    ).toEqual({ x: 64, y: 0, width: 320, height: 240 });
  });

  it('scales with a result fitted to another size', () => {
    expect(
      placeOriginal(
        { width: 100, height: 100 },
        { width: 400, height: 200 },
        {
          left: 50,
          right: 50,
          up: 0,
          down: 0,
        },
      ),
    ).toEqual({ x: 100, y: 0, width: 200, height: 200 });
  });

  it('is unknown without four non-negative sides, or with nothing added', () => {
    const input = { width: 10, height: 10 };
    expect(placeOriginal(input, input, null)).toBeNull();
    expect(placeOriginal(input, input, { left: 1, right: 0, up: 0 })).toBeNull();
    expect(placeOriginal(input, input, { left: -1, right: 0, up: 0, down: 0 })).toBeNull();
    expect(placeOriginal(input, input, { left: 0, right: 0, up: 0, down: 0 })).toBeNull();
    expect(placeOriginal(input, input, { left: '4', right: 0, up: 0, down: 0 })).toBeNull();
  });
});
