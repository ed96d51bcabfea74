import { describe, expect, it } from 'vitest';
import {
  addStroke,
  clearMask,
  EMPTY_MASK,
  hasPaint,
  INVERT,
  invertMask,
  redo,
  type Stroke,
  undo,
} from './maskHistory.ts';

const stroke = (x: number, erase = false): Stroke => ({
  points: [{ x, y: 1 }],
  radius: 2,
  hardness: 1,
  erase,
});

describe('mask history', () => {
  it('undoes and redoes strokes, clear and invert as steps', () => {
    const a = stroke(1);
    const b = stroke(5);
    let h = addStroke(addStroke(EMPTY_MASK, a), b);
    h = invertMask(h);
    expect(h.present).toEqual([a, b, INVERT]);
    h = clearMask(h);
    expect(h.present).toEqual([]);
    h = undo(h);
    expect(h.present).toEqual([a, b, INVERT]);
    h = undo(undo(h));
    expect(h.present).toEqual([a]);
    h = redo(h);
    expect(h.present).toEqual([a, b]);
    expect(h.future).toHaveLength(2);
  });

  it('a new step after undo drops what could have been redone', () => {
    const h = addStroke(undo(addStroke(addStroke(EMPTY_MASK, stroke(1)), stroke(2))), stroke(3));
    expect(h.future).toEqual([]);
    expect(redo(h)).toBe(h);
    expect(h.present.map((s) => ('points' in s ? s.points[0]?.x : null))).toEqual([1, 3]);
  });

  it('undo at the start, redo at the end and clearing nothing change nothing', () => {
    expect(undo(EMPTY_MASK)).toBe(EMPTY_MASK);
    expect(redo(EMPTY_MASK)).toBe(EMPTY_MASK);
    expect(clearMask(EMPTY_MASK)).toBe(EMPTY_MASK);
  });

  it('may have paint after a paint stroke or an inversion, not after eraser strokes alone', () => {
    expect(hasPaint([])).toBe(false);
    expect(hasPaint([stroke(1, true)])).toBe(false);
    expect(hasPaint([stroke(1, true), INVERT])).toBe(true);
    expect(hasPaint([stroke(1)])).toBe(true);
  });
});
