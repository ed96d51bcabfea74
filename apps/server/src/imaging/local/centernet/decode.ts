import { CENTERNET_SIZE } from './centernet-graph.ts';
import { COCO_LABELS } from './coco-labels.ts';

/** The graph's two outputs, NCHW: peak scores [80, 128, 128] and box extents [4, 128, 128]. */
export interface CenternetHeads {
  peaks: Float32Array;
  wh: Float32Array;
}

/** One detection as Human reports it: `box` [x, y, width, height] in the input's pixels. */
export interface CenternetObject {
  label: string;
  classId: number;
  /** Truncated to hundredths, as Human does. */
  score: number;
  box: [number, number, number, number];
}

/** Human's object settings in `testing/human-reference.ts`'s configuration, the product's since it was introduced. */
export interface DecodeOptions {
  minConfidence: number;
  iouThreshold: number;
  maxDetected: number;
}

export const CENTERNET_DECODE: DecodeOptions = { minConfidence: 0.2, iouThreshold: 0.4, maxDetected: 20 };

const CLASSES = 80;
const GRID = 128;
const CELLS = GRID * GRID;
const STRIDE = CENTERNET_SIZE / GRID;
/** The TF graph's `TopKV2` k: only the best 100 peaks become candidate boxes. */
const TOP_K = 100;

interface Candidate {
  score: number;
  /** Index into the TF graph's flattened NHWC heatmap, which breaks score ties as `TopKV2` does. */
  index: number;
  /** y1, x1, y2, x2 in 512² input pixels (tf.image.nonMaxSuppression's order). */
  box: [number, number, number, number];
}

/** tfjs-core's IoU, corners normalised first; a box without area overlaps nothing. */
function iou(a: Candidate['box'], b: Candidate['box']): number {
  const [ay1, ay2] = a[0] < a[2] ? [a[0], a[2]] : [a[2], a[0]];
  const [ax1, ax2] = a[1] < a[3] ? [a[1], a[3]] : [a[3], a[1]];
  const [by1, by2] = b[0] < b[2] ? [b[0], b[2]] : [b[2], b[0]];
  const [bx1, bx2] = b[1] < b[3] ? [b[1], b[3]] : [b[3], b[1]];
  const areaA = (ay2 - ay1) * (ax2 - ax1);
  const areaB = (by2 - by1) * (bx2 - bx1);
  if (areaA <= 0 || areaB <= 0) return 0;
  const inter =
    Math.max(Math.min(ay2, by2) - Math.max(ay1, by1), 0) *
    Math.max(Math.min(ax2, bx2) - Math.max(ax1, bx1), 0);
  return inter / (areaA + areaB - inter);
}

/**
 * Human's CenterNet post-processing over the ONNX graph's heads: the TF graph's tail (the best 100
 * peaks, each cell's class from the flattened index, a box from the cell at stride 4 and its
 * extents), then tf.image.nonMaxSuppression across classes (scores above `minConfidence`, IoU at or
 * over `iouThreshold` suppresses, at most `maxDetected`), and Human's scaling of the 512² box to
 * the input's size (`width` × `height`), truncated to whole pixels.
 */
export function decodeCenternet(
  { peaks, wh }: CenternetHeads,
  width: number,
  height: number,
  options: DecodeOptions = CENTERNET_DECODE,
): CenternetObject[] {
  // Scores at or below the threshold never survive suppression, so only those above are ranked.
  const found: { score: number; index: number }[] = [];
  const min = options.minConfidence;
  // One pass over the class planes in memory order: nearly every score is 0 (the graph zeroes all
  // but local maxima), so the cell and class are worked out only for the few above the threshold.
  for (let i = 0, n = peaks.length; i < n; i++) {
    const score = peaks[i]!;
    if (score > min) {
      const c = Math.floor(i / CELLS);
      found.push({ score, index: (i - c * CELLS) * CLASSES + c });
    }
  }
  found.sort((a, b) => b.score - a.score || a.index - b.index);
  const candidates: Candidate[] = found.slice(0, TOP_K).map(({ score, index }) => {
    const cell = Math.floor(index / CLASSES);
    const x = (cell % GRID) * STRIDE;
    const y = Math.floor(cell / GRID) * STRIDE;
    const f = Math.fround;
    const box: Candidate['box'] = [
      f(y - wh[CELLS + cell]!),
      f(x - wh[cell]!),
      f(y + wh[3 * CELLS + cell]!),
      f(x + wh[2 * CELLS + cell]!),
    ];
    return { score, index, box };
  });

  const kept: Candidate[] = [];
  for (const c of candidates) {
    if (kept.length >= options.maxDetected) break;
    if (kept.some((k) => iou(c.box, k.box) >= options.iouThreshold)) continue;
    kept.push(c);
  }

  return kept.map(({ score, index, box: [y1, x1, y2, x2] }) => {
    const classId = index % CLASSES;
    const left = x1 / CENTERNET_SIZE;
    const top = y1 / CENTERNET_SIZE;
    return {
      label: COCO_LABELS[classId] ?? String(classId),
      classId,
      score: Math.trunc(100 * score) / 100,
      box: [
        Math.trunc(left * width),
        Math.trunc(top * height),
        Math.trunc((x2 / CENTERNET_SIZE - left) * width),
        Math.trunc((y2 / CENTERNET_SIZE - top) * height),
      ],
    };
  });
}
