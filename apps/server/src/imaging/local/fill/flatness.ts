import type { FloatLevel } from './float-image.ts';
import { boxTouchesHole } from './pyramid.ts';

/** How many source patches the reference texture level is estimated from (a spread sample). */
const REFERENCE_SAMPLES = 4096;
/** The reference comes from source patches at most this many pixels beyond the hole's patches. */
const REFERENCE_RING = 16;
/** Weight of the penalty against the patch SSD: with 2, no real-photo hole drifts flat over seeds 1–4. */
const FLATNESS_WEIGHT = 2;

/**
 * The finest level's penalty (below) for a level `scale` times coarser: each source there is
 * charged what the fine patch at its centre would be. Coarse levels cannot see fine grain, so
 * without this they lay out the fill from sources that are flat at full size (an out-of-focus
 * band next to a sharp one), and the finest level can only refine that layout locally.
 */
export function penaltyAtScale(
  fine: Float32Array,
  fineWidth: number,
  fineHeight: number,
  level: FloatLevel,
  scale: number,
): Float32Array {
  const out = new Float32Array(level.width * level.height);
  const half = scale >> 1;
  for (let y = 0; y < level.height; y++) {
    const fy = Math.min(fineHeight - 1, y * scale + half);
    for (let x = 0; x < level.width; x++) {
      const fx = Math.min(fineWidth - 1, x * scale + half);
      out[y * level.width + x] = fine[fy * fineWidth + fx]!;
    }
  }
  return out;
}

/**
 * Per source patch, a cost added to its match distance when it is flatter than the median patch
 * right around the hole (within REFERENCE_RING pixels; the texture the hole should continue): λ·n·max(0, σ_ref − σ_s)² (σ: the standard deviation of the patch's grey level).
 * Sum-of-squared-differences matching is biased towards flat sources (against a textured target
 * a flat source costs the target's variance, another texture costs both variances unless it
 * lines up), so without it the fill drifts to the smoothest patches of the surroundings and
 * loses the grain. Only flatter-than-typical sources pay, so smooth images (sky) are unaffected.
 */
export function flatnessPenalty(level: FloatLevel, r: number, sigma: Float32Array): Float32Array {
  const { width: w, height: h, channels: c } = level;
  const size = w * h;
  const touches = boxTouchesHole(level, r);
  const valid = new Uint8Array(size);
  for (let y = r; y < h - r; y++) {
    for (let x = r; x < w - r; x++) valid[y * w + x] = touches[y * w + x] ? 0 : 1;
  }
  const area = (2 * r + 1) ** 2;
  const near = boxTouchesHole(level, r + REFERENCE_RING);
  let nearCount = 0;
  for (let i = 0; i < size; i++) if (valid[i] && near[i]) nearCount++;
  const step = Math.max(1, Math.floor(nearCount / REFERENCE_SAMPLES));
  const sample: number[] = [];
  let seen = 0;
  for (let i = 0; i < size; i++) {
    if (!valid[i] || (nearCount && !near[i])) continue;
    if (seen++ % step === 0) sample.push(sigma[i]!);
  }
  sample.sort((a, b) => a - b);
  const reference = sample[sample.length >> 1] ?? 0;
  const weight = FLATNESS_WEIGHT * area * c;
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    const shortfall = reference - sigma[i]!;
    if (valid[i] && shortfall > 0) out[i] = weight * shortfall * shortfall;
  }
  return out;
}

/**
 * The standard deviation of the grey level (channel mean) over the (2r+1)² window around each
 * pixel of rows [firstRow, endRow) (clipped at the edges), into `sigma`: a band reads its rows and
 * r + 1 more above and r below only, so two bands can be worked out at once on two threads.
 */
export interface SigmaJob {
  kind: 'sigma';
  pixels: Float32Array;
  width: number;
  height: number;
  channels: number;
  r: number;
  sigma: Float32Array;
  firstRow: number;
  endRow: number;
}

export function sigmaRows(job: SigmaJob): void {
  const { pixels, width: w, height: h, channels: c, r, sigma, firstRow, endRow } = job;
  // The running sums below start one row above the first window.
  const top = Math.max(0, firstRow - r - 1);
  const bottom = Math.min(h, endRow + r);
  const size = (bottom - top) * w;
  const grey = new Float32Array(size);
  const squares = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    let v = 0;
    for (let k = 0; k < c; k++) v += pixels[(top * w + i) * c + k]!;
    grey[i] = v / c;
    squares[i] = grey[i]! * grey[i]!;
  }
  const rowSums = boxRows(grey, w, r);
  const rowSquares = boxRows(squares, w, r);
  // Columns a row at a time (a running sum per column), so memory is read in order.
  const sum = new Float64Array(w);
  const sumSquares = new Float64Array(w);
  const add = (y: number, sign: number) => {
    const row = (y - top) * w;
    for (let x = 0; x < w; x++) {
      sum[x]! += sign * rowSums[row + x]!;
      sumSquares[x]! += sign * rowSquares[row + x]!;
    }
  };
  for (let y = top; y < Math.min(h, firstRow + r); y++) add(y, 1);
  const area = (2 * r + 1) ** 2;
  for (let y = firstRow; y < endRow; y++) {
    if (y + r < h) add(y + r, 1);
    if (y - r - 1 >= 0) add(y - r - 1, -1);
    for (let x = 0; x < w; x++) {
      const mean = sum[x]! / area;
      sigma[y * w + x] = Math.sqrt(Math.max(0, sumSquares[x]! / area - mean * mean));
    }
  }
}

/** Sum over the (2r+1) pixels around each pixel of its row (clipped at the edges). */
function boxRows(src: Float32Array, w: number, r: number): Float32Array {
  const out = new Float32Array(src.length);
  for (let row = 0; row < src.length; row += w) {
    let acc = 0;
    for (let x = 0; x < Math.min(w, r); x++) acc += src[row + x]!;
    for (let x = 0; x < w; x++) {
      if (x + r < w) acc += src[row + x + r]!;
      if (x - r - 1 >= 0) acc -= src[row + x - r - 1]!;
      out[row + x] = acc;
    }
  }
  return out;
}
