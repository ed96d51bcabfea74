import { describe, expect, it } from 'vitest';
import { seededRandom } from './local/testing/synthetic-images.ts';
import { boxBlur, medianOf } from './saliency.ts';

describe('medianOf', () => {
  it("is the sorted map's middle value, with runs of equal values and any length", () => {
    const random = seededRandom(5);
    for (let n = 1; n <= 600; n += 7) {
      const levels = 1 + Math.floor(random() * 12);
      const data = Float32Array.from({ length: n }, () => Math.floor(random() * levels) * 0.37);
      const before = Float32Array.from(data);
      const sorted = Float32Array.from(data).sort();
      expect(medianOf({ data, width: n, height: 1, scale: 1 })).toBe(sorted[n >> 1]);
      expect(data).toEqual(before);
    }
  });
});

/** The window mean summed directly, value by value: what `boxBlur` must equal. */
function directBlur(src: Float32Array, w: number, h: number, r: number): Float32Array {
  const pass = (input: Float32Array, horizontal: boolean) =>
    input.map((_, i) => {
      const [x, y] = [i % w, Math.floor(i / w)];
      const [at, len] = horizontal ? [x, w] : [y, h];
      let sum = 0;
      for (let k = Math.max(0, at - r); k <= Math.min(len - 1, at + r); k++) {
        sum += input[horizontal ? y * w + k : k * w + x]!;
      }
      return sum / (Math.min(len - 1, at + r) - Math.max(0, at - r) + 1);
    });
  return pass(pass(src, true), false);
}

describe('boxBlur', () => {
  it('gives the very floats a direct window sum gives, zeros where a window holds only zeros', () => {
    const random = seededRandom(11);
    for (const [w, h, r] of [
      [320, 240, 4],
      [37, 5, 3],
      [4, 9, 6],
      [1, 1, 2],
    ] as const) {
      // Energies as computeSaliency makes them: mostly small, some large, blank (0) bands.
      const src = Float32Array.from({ length: w * h }, (_, i) =>
        i % w < w / 4 ? 0 : random() < 0.1 ? random() * 4000 : random() * 20,
      );
      const blurred = boxBlur(src, w, h, r);
      expect(blurred).toEqual(directBlur(src, w, h, r));
      if (w > 4 * r + 4) expect(blurred[(h >> 1) * w]).toBe(0);
    }
  });
});
