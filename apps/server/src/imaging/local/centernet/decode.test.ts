import { describe, expect, it } from 'vitest';
import { type CenternetHeads, decodeCenternet } from './decode.ts';

const CELLS = 128 * 128;

function heads(): CenternetHeads {
  return { peaks: new Float32Array(80 * CELLS), wh: new Float32Array(4 * CELLS) };
}

/** A peak of `classId` at grid cell (x, y) whose box reaches `reach` input pixels each way. */
function peak(h: CenternetHeads, classId: number, x: number, y: number, score: number, reach = 8) {
  const cell = y * 128 + x;
  h.peaks[classId * CELLS + cell] = score;
  for (let k = 0; k < 4; k++) h.wh[k * CELLS + cell] = reach;
}

describe('CenterNet decoding (Human post-processing over the ONNX heads)', () => {
  it('boxes a peak from its cell at stride 4 and its extents, scaled to the input and truncated', () => {
    const h = heads();
    peak(h, 0, 20, 10, 0.456);
    // Cell (20, 10) → centre (80, 40) in 512²; ±8 → x 72..88, y 32..48; the input is 1000×500.
    expect(decodeCenternet(h, 1000, 500)).toEqual([
      { label: 'person', classId: 0, score: 0.45, box: [140, 31, 31, 15] },
    ]);
  });

  it('suppresses an overlapping box of any class and keeps scores above the threshold only', () => {
    const h = heads();
    peak(h, 0, 20, 10, 0.905);
    peak(h, 16, 21, 10, 0.5); // a dog one cell to the right: IoU 0.6 with the person
    peak(h, 2, 100, 100, 0.305);
    peak(h, 3, 60, 60, 0.19);
    const found = decodeCenternet(h, 512, 512);
    expect(found.map((o) => [o.label, o.score])).toEqual([
      ['person', 0.9],
      ['car', 0.3],
    ]);
  });

  it('keeps a box that overlaps below the IoU threshold', () => {
    const h = heads();
    peak(h, 0, 20, 10, 0.9);
    peak(h, 0, 23, 10, 0.8); // 12 px right of a 16 px box: IoU 4/28 ≈ 0.14
    expect(decodeCenternet(h, 512, 512).map((o) => o.box[0])).toEqual([72, 84]);
  });

  it('answers at most maxDetected, best first, from at most the best 100 peaks', () => {
    const h = heads();
    for (let i = 0; i < 120; i++)
      peak(h, 1, (i % 12) * 10 + 2, Math.floor(i / 12) * 10 + 2, 0.3005 + i / 1000);
    const twenty = decodeCenternet(h, 512, 512);
    expect(twenty).toHaveLength(20);
    expect(twenty[0]!.score).toBe(0.41);
    const all = decodeCenternet(h, 512, 512, { minConfidence: 0.2, iouThreshold: 0.4, maxDetected: 500 });
    expect(all).toHaveLength(100);
    // The 20 weakest peaks (0.3005–0.3195) fall outside the top 100.
    expect(Math.min(...all.map((o) => o.score))).toBe(0.32);
  });

  it('finds nothing in empty heads', () => {
    expect(decodeCenternet(heads(), 640, 480)).toEqual([]);
  });
});
