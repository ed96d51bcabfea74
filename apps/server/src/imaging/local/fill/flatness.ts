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
export function flatnessPenalty(level: FloatLevel, r: number): Float32Array {
  const { width: w, height: h, channels: c, pixels } = level;
  const size = w * h;
  const touches = boxTouchesHole(level, r);
  const valid = new Uint8Array(size);
  for (let y = r; y < h - r; y++) {
    for (let x = r; x < w - r; x++) valid[y * w + x] = touches[y * w + x] ? 0 : 1;
  }
  // Box sums of the grey level (channel mean) and of its square over (2r+1)² windows.
  const area = (2 * r + 1) ** 2;
  const grey = new Float32Array(size);
  const tmp = new Float32Array(size);
  const sum = new Float32Array(size);
  const squares = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    let v = 0;
    for (let k = 0; k < c; k++) v += pixels[i * c + k]!;
    grey[i] = v / c;
  }
  boxSum(grey, w, h, r, tmp, sum);
  for (let i = 0; i < size; i++) grey[i] = grey[i]! * grey[i]!;
  boxSum(grey, w, h, r, tmp, squares);
  const sigma = grey;
  for (let i = 0; i < size; i++) {
    const mean = sum[i]! / area;
    sigma[i] = Math.sqrt(Math.max(0, squares[i]! / area - mean * mean));
  }
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

/** Sum over the (2r+1)² window around each pixel (clipped at the edges): rows, then columns. */
function boxSum(
  src: Float32Array,
  w: number,
  h: number,
  r: number,
  tmp: Float32Array,
  out: Float32Array,
): void {
  for (let y = 0; y < h; y++) {
    const row = y * w;
    let acc = 0;
    for (let x = 0; x < Math.min(w, r); x++) acc += src[row + x]!;
    for (let x = 0; x < w; x++) {
      if (x + r < w) acc += src[row + x + r]!;
      if (x - r - 1 >= 0) acc -= src[row + x - r - 1]!;
      tmp[row + x] = acc;
    }
  }
  // Columns a row at a time (a running sum per column), so memory is read in order.
  const acc = new Float64Array(w);
  for (let y = 0; y < Math.min(h, r); y++) {
    for (let x = 0; x < w; x++) acc[x]! += tmp[y * w + x]!;
  }
  for (let y = 0; y < h; y++) {
    const row = y * w;
    if (y + r < h) for (let x = 0; x < w; x++) acc[x]! += tmp[(y + r) * w + x]!;
    if (y - r - 1 >= 0) for (let x = 0; x < w; x++) acc[x]! -= tmp[(y - r - 1) * w + x]!;
    for (let x = 0; x < w; x++) out[row + x] = acc[x]!;
  }
}
