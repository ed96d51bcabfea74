import { describe, expect, it } from 'vitest';
import { MOVENET_PARTS, type MovenetHeads, type MovenetKeypoint, movenetKeypoints } from './decode.ts';
import { movenetPadding } from './input.ts';
import { movenetBody } from './pose.ts';

const GRID = 48;
const CELLS = GRID * GRID;
const HEAD = { distanceBias: 1.8, gridScale: 1 / 48 };

function heads(): MovenetHeads {
  return {
    heatmap: new Float32Array(17 * CELLS),
    centers: new Float32Array(CELLS),
    regress: new Float32Array(34 * CELLS),
    offsets: new Float32Array(34 * CELLS),
  };
}

const cell = (y: number, x: number) => y * GRID + x;

describe('MoveNet head (the TF graph after its heads)', () => {
  it('regresses each keypoint from the best centre and takes the heatmap peak nearest to it', () => {
    const h = heads();
    h.centers[cell(20, 10)] = 0.6;
    h.centers[cell(5, 5)] = 0.4;
    // The nose regressed to (22, 7) from the centre: a weaker peak there beats a stronger far one.
    h.regress[cell(20, 10)] = 2;
    h.regress[CELLS + cell(20, 10)] = -3;
    h.heatmap[cell(22, 7)] = 0.5;
    h.heatmap[cell(40, 40)] = 0.9;
    h.offsets[cell(22, 7)] = 0.25;
    h.offsets[CELLS + cell(22, 7)] = 0.5;
    const [nose] = movenetKeypoints(h, HEAD);
    expect(nose!.score).toBeCloseTo(0.5, 6);
    expect(nose!.y).toBeCloseTo(22.25 / 48, 6);
    expect(nose!.x).toBeCloseTo(7.5 / 48, 6);
  });

  it('keeps a far peak when it outweighs the near one by more than its distance', () => {
    const h = heads();
    h.centers[cell(24, 24)] = 1;
    // Keypoint 5 (leftShoulder), regressed onto the centre itself.
    h.heatmap[5 * CELLS + cell(24, 24)] = 0.1; // 0.1 / 1.8 ≈ 0.056
    h.heatmap[5 * CELLS + cell(24, 27)] = 0.9; // 0.9 / 4.8 ≈ 0.19
    const points = movenetKeypoints(h, HEAD);
    expect(points).toHaveLength(17);
    expect(points[5]!.x * 48).toBeCloseTo(27, 4);
    expect(points[5]!.score).toBeCloseTo(0.9, 6);
  });

  it('breaks ties at the first cell, as ArgMax does', () => {
    const h = heads();
    const points = movenetKeypoints(h, HEAD);
    // All-zero heads: the centre and every keypoint at cell 0.
    expect(points.every((p) => p.x === 0 && p.y === 0 && p.score === 0)).toBe(true);
  });
});

/** Keypoints of the TF head: the given ones by part name, every other at score 0. */
function points(parts: Record<string, [x: number, y: number, score: number]>): MovenetKeypoint[] {
  return MOVENET_PARTS.map((part) => {
    const [x, y, score] = parts[part] ?? [0, 0, 0];
    return { x, y, score };
  });
}

describe("MoveNet pose (Human's post-processing)", () => {
  it('pads the short side by half the difference on each side, truncated', () => {
    expect(movenetPadding(200, 101)).toEqual({ y: 49, x: 0 });
    expect(movenetPadding(90, 100)).toEqual({ y: 0, x: 5 });
    expect(movenetPadding(64, 64)).toEqual({ y: 0, x: 0 });
  });

  it('keeps keypoints above 0.3, rounds scores, places them on the unpadded image and boxes them', () => {
    // 200 × 100: 50 rows of padding above and below, so the square's y 0.25..0.75 is the image.
    const body = movenetBody(
      points({
        nose: [0.5, 0.5, 0.876],
        leftEye: [0.75, 0.25, 0.301],
        rightEye: [0.1, 0.3, 0.3],
      }),
      200,
      100,
    );
    expect(body.keypoints).toEqual([
      { part: 'nose', score: 0.88, position: [100, 50] },
      { part: 'leftEye', score: 0.3, position: [150, 0] },
    ]);
    expect(body.score).toBe(0.88);
    expect(body.box).toEqual([100, 0, 50, 50]);
  });

  it("reorders a mirrored pair and drops a knee above its shoulder, as Human's fix-up does", () => {
    const body = movenetBody(
      points({
        leftShoulder: [0.3, 0.3, 0.8],
        rightShoulder: [0.7, 0.3, 0.8],
        leftKnee: [0.3, 0.2, 0.8],
        rightKnee: [0.7, 0.8, 0.8],
      }),
      100,
      100,
    );
    expect(body.keypoints.map((k) => [k.part, k.position[0]])).toEqual([
      ['rightShoulder', 70],
      ['leftShoulder', 30],
      ['rightKnee', 70],
    ]);
  });

  it("drops a lone hip nearer the other side's shoulder (Human writes it to index -1)", () => {
    const body = movenetBody(
      points({
        leftShoulder: [0.7, 0.3, 0.8],
        rightShoulder: [0.3, 0.3, 0.8],
        rightHip: [0.68, 0.6, 0.8],
      }),
      100,
      100,
    );
    expect(body.keypoints.map((k) => k.part)).toEqual(['leftShoulder', 'rightShoulder']);
  });

  it('answers a pose without keypoints and a box no product code accepts when nothing is sure', () => {
    const body = movenetBody(points({ nose: [0.5, 0.5, 0.2] }), 100, 100);
    expect(body.keypoints).toEqual([]);
    expect(body.score).toBe(0);
    expect(body.box.every((v) => !Number.isFinite(v))).toBe(true);
  });
});
