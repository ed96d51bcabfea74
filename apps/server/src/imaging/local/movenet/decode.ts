/** The side of MoveNet lightning's square input. */
export const MOVENET_SIZE = 192;
/** The heads' grid: one cell per 4 input pixels. */
export const MOVENET_GRID = 48;
const CELLS = MOVENET_GRID * MOVENET_GRID;

/** MoveNet's 17 keypoints in the model's order, named as Human names them. */
export const MOVENET_PARTS = [
  'nose',
  'leftEye',
  'rightEye',
  'leftEar',
  'rightEar',
  'leftShoulder',
  'rightShoulder',
  'leftElbow',
  'rightElbow',
  'leftWrist',
  'rightWrist',
  'leftHip',
  'rightHip',
  'leftKnee',
  'rightKnee',
  'leftAnkle',
  'rightAnkle',
] as const;
const KEYPOINTS = MOVENET_PARTS.length;

/** The ONNX graph's heads, NCHW over the 48² grid. */
export interface MovenetHeads {
  /** Keypoint heatmaps after their sigmoid, [17, 48, 48]. */
  heatmap: Float32Array;
  /** Person centres after their sigmoid, already weighted toward the image centre, [48, 48]. */
  centers: Float32Array;
  /** Each keypoint's (dy, dx) from a person's centre cell, [34, 48, 48]. */
  regress: Float32Array;
  /** Each keypoint's (dy, dx) sub-cell offset, [34, 48, 48]. */
  offsets: Float32Array;
}

/** The TF head's two float constants (stored as float16 in the model, read from it). */
export interface MovenetHeadConstants {
  /** Added to a cell's distance from the regressed keypoint before the heatmap is divided by it. */
  distanceBias: number;
  /** Grid cells to 0..1 (1/48 as float16). */
  gridScale: number;
}

/** A keypoint as the TF graph outputs it: y, x in 0..1 of the square input, and its score. */
export interface MovenetKeypoint {
  y: number;
  x: number;
  score: number;
}

const f = Math.fround;

/** Each grid cell's row and column, as the TF graph's constant coordinate maps hold them. */
const ROW = Float32Array.from({ length: CELLS }, (_, i) => Math.floor(i / MOVENET_GRID));
const COLUMN = Float32Array.from({ length: CELLS }, (_, i) => i % MOVENET_GRID);

/**
 * The TF graph's single-pose head after its convolutions, in float32 as the graph computes it: the
 * person centre is the best weighted centre cell; each keypoint is regressed from it, then taken at
 * the heatmap cell that is strongest once divided by its distance from the regressed point (plus
 * `distanceBias`), refined by that cell's offset and scaled to 0..1.
 */
export function movenetKeypoints(heads: MovenetHeads, constants: MovenetHeadConstants): MovenetKeypoint[] {
  const { heatmap, centers, regress, offsets } = heads;
  // ArgMax answers the first index of the largest value.
  let center = 0;
  for (let i = 1; i < CELLS; i++) if (centers[i]! > centers[center]!) center = i;
  const cy = ROW[center]!;
  const cx = COLUMN[center]!;
  const keypoints: MovenetKeypoint[] = [];
  for (let k = 0; k < KEYPOINTS; k++) {
    const ry = f(cy + regress[2 * k * CELLS + center]!);
    const rx = f(cx + regress[(2 * k + 1) * CELLS + center]!);
    const base = k * CELLS;
    let cell = 0;
    let best = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < CELLS; i++) {
      const dy = f(ROW[i]! - ry);
      const dx = f(COLUMN[i]! - rx);
      const distance = f(Math.sqrt(f(f(dy * dy) + f(dx * dx))));
      const weighted = f(heatmap[base + i]! / f(distance + constants.distanceBias));
      if (weighted > best) {
        best = weighted;
        cell = i;
      }
    }
    const ky = Math.floor(cell / MOVENET_GRID);
    const kx = cell - ky * MOVENET_GRID;
    keypoints.push({
      y: f(f(ky + offsets[2 * k * CELLS + cell]!) * constants.gridScale),
      x: f(f(kx + offsets[(2 * k + 1) * CELLS + cell]!) * constants.gridScale),
      score: heatmap[base + cell]!,
    });
  }
  return keypoints;
}
