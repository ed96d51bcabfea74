import { BLAZEFACE_ANCHORS, BLAZEFACE_SIZE } from './blazeface-graph.ts';

/**
 * Human's settings for the product's face detector (`testing/human-reference.ts`: maxDetected 20,
 * minConfidence 0.5) and Human's defaults for the rest (iouThreshold 0.1, scale 1.4, minSize 0).
 */
export const BLAZEFACE_CONFIG = {
  maxDetected: 20,
  minConfidence: 0.5,
  iouThreshold: 0.1,
  /** How much Human enlarges the detector's box around its centre before squaring it. */
  scale: 1.4,
} as const;

/** A face as Human reports it with the mesh off: `box` [x, y, width, height] in input pixels, clamped to it. */
export interface BlazefaceFace {
  box: [number, number, number, number];
  /** The detector's confidence rounded to 2 decimals, as Human's `boxScore`. */
  boxScore: number;
}

/** Each anchor's centre in 256² input pixels, in the model's order (Human's `generateAnchors`). */
function anchors(): Float64Array {
  const out = new Float64Array(BLAZEFACE_ANCHORS * 2);
  let i = 0;
  for (const [stride, perCell] of [
    [BLAZEFACE_SIZE / 16, 2],
    [BLAZEFACE_SIZE / 8, 6],
  ] as const) {
    const cells = Math.floor((BLAZEFACE_SIZE + stride - 1) / stride);
    for (let y = 0; y < cells; y++)
      for (let x = 0; x < cells; x++)
        for (let n = 0; n < perCell; n++) {
          out[i++] = stride * (x + 0.5);
          out[i++] = stride * (y + 0.5);
        }
  }
  return out;
}

const ANCHORS = anchors();

/** IoU of boxes [x1, y1, x2, y2] at `a` and `b` in `boxes`, as tfjs' NMS computes it (corner order free). */
function iou(boxes: Float64Array, a: number, b: number): number {
  const [ax1, ay1, ax2, ay2] = [boxes[4 * a]!, boxes[4 * a + 1]!, boxes[4 * a + 2]!, boxes[4 * a + 3]!];
  const [bx1, by1, bx2, by2] = [boxes[4 * b]!, boxes[4 * b + 1]!, boxes[4 * b + 2]!, boxes[4 * b + 3]!];
  const areaA = (Math.max(ax1, ax2) - Math.min(ax1, ax2)) * (Math.max(ay1, ay2) - Math.min(ay1, ay2));
  const areaB = (Math.max(bx1, bx2) - Math.min(bx1, bx2)) * (Math.max(by1, by2) - Math.min(by1, by2));
  if (areaA <= 0 || areaB <= 0) return 0;
  const w = Math.max(
    0,
    Math.min(Math.max(ax1, ax2), Math.max(bx1, bx2)) - Math.max(Math.min(ax1, ax2), Math.min(bx1, bx2)),
  );
  const h = Math.max(
    0,
    Math.min(Math.max(ay1, ay2), Math.max(by1, by2)) - Math.max(Math.min(ay1, ay2), Math.min(by1, by2)),
  );
  const inter = w * h;
  return inter / (areaA + areaB - inter);
}

/**
 * Greedy non-maximum suppression as tfjs' `nonMaxSuppression` (no soft-NMS): candidates above
 * `minConfidence`, best score first (ties: lower index first), dropped when their IoU with a kept
 * box reaches `iouThreshold`, at most `maxDetected` kept.
 */
export function nonMaxSuppression(boxes: Float64Array, scores: Float64Array): number[] {
  const { maxDetected, minConfidence, iouThreshold } = BLAZEFACE_CONFIG;
  const candidates: number[] = [];
  for (let i = 0; i < scores.length; i++) if (scores[i]! > minConfidence) candidates.push(i);
  candidates.sort((a, b) => scores[b]! - scores[a]! || a - b);
  const kept: number[] = [];
  for (const c of candidates) {
    if (kept.length >= maxDetected) break;
    if (kept.every((k) => iou(boxes, c, k) < iouThreshold)) kept.push(c);
  }
  return kept;
}

/**
 * Human's faces from blazeface's heads (`logits` [896], `regressors` [896 × 16]) for an input of
 * `width` × `height` stretched to 256²: anchor-relative boxes, sigmoid scores, NMS, then what
 * Human does with the mesh off: scale to the input, enlarge 1.4× about the centre, square on the
 * longer side (rounded), clamp to the input (truncated), and keep only rounded scores above 0.5.
 */
export function decodeBlazeface(
  logits: Float32Array,
  regressors: Float32Array,
  width: number,
  height: number,
): BlazefaceFace[] {
  const boxes = new Float64Array(BLAZEFACE_ANCHORS * 4);
  const scores = new Float64Array(BLAZEFACE_ANCHORS);
  for (let i = 0; i < BLAZEFACE_ANCHORS; i++) {
    const r = 16 * i;
    const cx = regressors[r]! + ANCHORS[2 * i]!;
    const cy = regressors[r + 1]! + ANCHORS[2 * i + 1]!;
    const w = regressors[r + 2]!;
    const h = regressors[r + 3]!;
    boxes.set([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], 4 * i);
    scores[i] = 1 / (1 + Math.exp(-logits[i]!));
  }
  const fx = width / BLAZEFACE_SIZE;
  const fy = height / BLAZEFACE_SIZE;
  const faces: BlazefaceFace[] = [];
  for (const i of nonMaxSuppression(boxes, scores)) {
    const [x1, y1, x2, y2] = [
      boxes[4 * i]! * fx,
      boxes[4 * i + 1]! * fy,
      boxes[4 * i + 2]! * fx,
      boxes[4 * i + 3]! * fy,
    ];
    const cx = x1 + (x2 - x1) / 2;
    const cy = y1 + (y2 - y1) / 2;
    const w = BLAZEFACE_CONFIG.scale * Math.abs(x2 - x1);
    const h = BLAZEFACE_CONFIG.scale * Math.abs(y2 - y1);
    // Human squares the enlarged box about its centre on the longer side, rounding every corner.
    const half = Math.max(w, h) / 2;
    const [left, top, right, bottom] = [cx - half, cy - half, cx + half, cy + half].map(Math.round) as [
      number,
      number,
      number,
      number,
    ];
    if (Math.round(w) <= 0 || Math.round(h) <= 0) continue;
    const boxScore = Math.round(100 * scores[i]!) / 100;
    if (boxScore <= BLAZEFACE_CONFIG.minConfidence) continue;
    faces.push({
      box: [
        Math.trunc(Math.max(0, left)),
        Math.trunc(Math.max(0, top)),
        Math.trunc(Math.min(width, right) - Math.max(0, left)),
        Math.trunc(Math.min(height, bottom) - Math.max(0, top)),
      ],
      boxScore,
    });
  }
  return faces;
}
