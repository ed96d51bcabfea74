import { describe, expect, it } from 'vitest';
import { BLAZEFACE_ANCHORS } from './blazeface-graph.ts';
import { decodeBlazeface } from './decode.ts';

/** Heads where every anchor is confidently no face, then `faces` set: anchor → logit and box offsets. */
function heads(faces: Record<number, { logit: number; dx?: number; dy?: number; w: number; h: number }>) {
  const logits = new Float32Array(BLAZEFACE_ANCHORS).fill(-10);
  const regressors = new Float32Array(BLAZEFACE_ANCHORS * 16);
  for (const [anchor, f] of Object.entries(faces)) {
    const i = Number(anchor);
    logits[i] = f.logit;
    regressors.set([f.dx ?? 0, f.dy ?? 0, f.w, f.h], 16 * i);
  }
  return { logits, regressors };
}

const logit = (p: number) => Math.log(p / (1 - p));

describe('decodeBlazeface', () => {
  it('scales the anchor box to the input, enlarges it 1.4×, squares it and clamps it to the input', () => {
    // Anchor 0 sits at (8, 8) of the 256² input; the input is 512 × 256, so x doubles.
    const { logits, regressors } = heads({ 0: { logit: 2, w: 20, h: 20 } });
    // Box x -4..36, y -2..18 → centre (16, 8), enlarged 56 × 28 → square side 56 → -12..44, -20..36.
    expect(decodeBlazeface(logits, regressors, 512, 256)).toEqual([{ box: [0, 0, 44, 36], boxScore: 0.88 }]);
  });

  it('places the 8×8 grid’s anchors after the 16×16 grid’s, six per cell', () => {
    // Anchor 512 + 6 × 9 + 5: the 8×8 grid's cell (1, 1), centre (48, 48).
    const { logits, regressors } = heads({ [512 + 6 * 9 + 5]: { logit: 3, dx: 2, dy: -2, w: 10, h: 10 } });
    const [face] = decodeBlazeface(logits, regressors, 256, 256);
    // Centre (50, 46), side 14: 43..57, 39..53.
    expect(face).toEqual({ box: [43, 39, 14, 14], boxScore: 0.95 });
  });

  it('keeps the better of two overlapping boxes and a separate one, best score first', () => {
    const { logits, regressors } = heads({
      40: { logit: 1, w: 30, h: 30 },
      41: { logit: 2, dx: 3, w: 30, h: 30 },
      300: { logit: 1.5, w: 30, h: 30 },
    });
    const faces = decodeBlazeface(logits, regressors, 256, 256);
    expect(faces.map((f) => f.boxScore)).toEqual([0.88, 0.82]);
  });

  it('drops a face whose score rounds to 0.5, as Human does, and keeps one at 0.51', () => {
    const low = heads({ 100: { logit: logit(0.503), w: 30, h: 30 } });
    expect(decodeBlazeface(low.logits, low.regressors, 256, 256)).toEqual([]);
    const kept = heads({ 100: { logit: logit(0.51), w: 30, h: 30 } });
    expect(decodeBlazeface(kept.logits, kept.regressors, 256, 256)).toHaveLength(1);
  });

  it('keeps at most 20 faces', () => {
    const many: Record<number, { logit: number; w: number; h: number }> = {};
    for (let i = 0; i < 30; i++) many[i * 16] = { logit: 2 + i / 100, w: 8, h: 8 };
    expect(decodeBlazeface(heads(many).logits, heads(many).regressors, 256, 256)).toHaveLength(20);
  });
});
