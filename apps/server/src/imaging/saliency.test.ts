import { describe, expect, it } from 'vitest';
import { seededRandom } from './local/testing/synthetic-images.ts';
import { medianOf } from './saliency.ts';

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
