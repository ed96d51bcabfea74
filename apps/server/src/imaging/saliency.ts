import type { Rect } from './geometry.ts';

/** Interest per pixel of a small copy of the image; `scale` = map pixels per source pixel. */
export interface SaliencyMap {
  data: Float32Array;
  width: number;
  height: number;
  scale: number;
}

export interface SaliencyInput {
  data: Buffer;
  width: number;
  height: number;
  channels: 3 | 4;
  scale: number;
}

/** Long side the map is computed at: enough to place a crop, cheap enough to be free. */
export const SALIENCY_LONG_SIDE = 320;
/**
 * Weights of fine detail (the Laplacian), colour distinct from the mean and saturation, next to
 * luminance edges (1). Real photos put the subject in focus before a blurred background, which
 * is colourful too: measured on the annotated set (imaging/testing/subject-annotations.ts), colour
 * first (0, 0.5, 0.3 at 160 px) framed the bokeh of the flower and dandelion photos, detail first
 * (3, 0.2, 0.1 at 320 px) their in-focus part.
 */
const DETAIL = 3;
const DISTINCT = 0.2;
const SATURATION = 0.1;

/**
 * An energy map in the spirit of libvips' `attention` strategy, on a downscaled copy: luminance
 * edges and fine detail (what is in focus), colour distinct from the image's mean colour,
 * saturation and skin tones, then smoothed so a subject becomes one blob rather than its outline. Transparent pixels carry no interest.
 */
export function computeSaliency(input: SaliencyInput): SaliencyMap {
  const { data, width: w, height: h, channels } = input;
  const n = w * h;
  const luma = new Float32Array(n);
  let mr = 0;
  let mg = 0;
  let mb = 0;
  for (let i = 0, o = 0; i < n; i++, o += channels) {
    const r = data[o]!;
    const g = data[o + 1]!;
    const b = data[o + 2]!;
    luma[i] = 0.299 * r + 0.587 * g + 0.114 * b;
    mr += r;
    mg += g;
    mb += b;
  }
  mr /= n;
  mg /= n;
  mb /= n;
  const energy = new Float32Array(n);
  const alphaAt = channels === 4 ? 3 : -1;
  for (let y = 0; y < h; y++) {
    for (let x = 0, i = y * w, o = i * channels; x < w; x++, i++, o += channels) {
      const r = data[o]!;
      const g = data[o + 1]!;
      const b = data[o + 2]!;
      const xl = x > 0 ? i - 1 : i;
      const xr = x < w - 1 ? i + 1 : i;
      const yu = y > 0 ? i - w : i;
      const yd = y < h - 1 ? i + w : i;
      const edge = Math.abs(luma[xr]! - luma[xl]!) + Math.abs(luma[yd]! - luma[yu]!);
      const detail = Math.abs(4 * luma[i]! - luma[xl]! - luma[xr]! - luma[yu]! - luma[yd]!);
      const dr = r - mr;
      const dg = g - mg;
      const db = b - mb;
      const distinct = Math.sqrt(dr * dr + dg * dg + db * db);
      const saturation = Math.max(r, g, b) - Math.min(r, g, b);
      const skin = r > 95 && g > 40 && b > 20 && r > g && r > b && r - Math.min(g, b) > 15 ? 60 : 0;
      const alpha = alphaAt < 0 ? 1 : data[o + alphaAt]! / 255;
      energy[i] = alpha * (edge + DETAIL * detail + DISTINCT * distinct + SATURATION * saturation + skin);
    }
  }
  const radius = Math.max(1, Math.round(Math.max(w, h) / 80));
  return {
    data: boxBlur(boxBlur(energy, w, h, radius), w, h, radius),
    width: w,
    height: h,
    scale: input.scale,
  };
}

/** Mean over a (2r + 1)² window clipped at the map's edges. */
export function boxBlur(src: Float32Array, w: number, h: number, r: number): Float32Array {
  return meanAlong(meanAlong(src, h, w, r, 1), w, h, r, w);
}

/**
 * Mean over a window of `2r + 1` along one axis (`step` 1: rows, `step` w: columns), clipped at the
 * ends, from a running sum: every value enters and leaves the sum once instead of being added 2r + 1
 * times. A double holds the sum of a few float32 values exactly, so the means are the very floats
 * a direct sum gives (saliency.test.ts), and a window that is all zeros again means 0.
 */
function meanAlong(src: Float32Array, lines: number, len: number, r: number, step: number): Float32Array {
  const out = new Float32Array(src.length);
  const across = step === 1 ? len : 1;
  const reach = Math.min(r, len);
  for (let line = 0; line < lines; line++) {
    const base = line * across;
    let sum = 0;
    for (let k = 0; k < reach; k++) sum += src[base + k * step]!;
    for (let x = 0; x < len; x++) {
      if (x + r < len) sum += src[base + (x + r) * step]!;
      if (x - r - 1 >= 0) sum -= src[base + (x - r - 1) * step]!;
      const count = Math.min(len - 1, x + r) - Math.max(0, x - r) + 1;
      out[base + x * step] = sum / count;
    }
  }
  return out;
}

/**
 * Both profiles of the energy above `cut`, in one pass and without a copy of the map: each value is
 * the float32 the map would hold, summed in the order `profile` sums, so the sums are the same.
 */
function excessProfiles(map: SaliencyMap, cut: number): { x: Float64Array; y: Float64Array } {
  const { data, width, height } = map;
  const x = new Float64Array(width);
  const y = new Float64Array(height);
  for (let row = 0, i = 0; row < height; row++) {
    for (let col = 0; col < width; col++, i++) {
      const v = Math.fround(Math.max(0, data[i]! - cut));
      x[col]! += v;
      y[row]! += v;
    }
  }
  return { x, y };
}

/** Energy summed over rows (axis 'x') or columns (axis 'y'): a profile along one axis. */
export function profile(map: SaliencyMap, axis: 'x' | 'y'): Float64Array {
  const { data, width, height } = map;
  const out = new Float64Array(axis === 'x' ? width : height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) out[axis === 'x' ? x : y]! += data[y * width + x]!;
  }
  return out;
}

/** The map's median value; `salientBox` and `salientPeak` take it so one pass serves both. */
export function medianOf(map: SaliencyMap): number {
  return map.data.length === 0 ? 0 : nthSmallest(Float32Array.from(map.data), map.data.length >> 1);
}

/** The k-th smallest value (0-based), partitioning `a` in place: a sort's value without the sort. */
function nthSmallest(a: Float32Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k]!;
  }
  return a[k]!;
}

function maxOf(data: Float32Array): number {
  let max = 0;
  for (let i = 0; i < data.length; i++) if (data[i]! > max) max = data[i]!;
  return max;
}

/**
 * The region holding the interest, in source pixels: where the energy above the image's typical
 * level concentrates (10th–90th percentile of its mass on each axis, widened by a fifth).
 * Undefined for flat images, which have no subject to protect.
 */
export function salientBox(map: SaliencyMap, median = medianOf(map)): Rect | undefined {
  const max = maxOf(map.data);
  if (max <= 0 || max < median * 2.5 + 1) return undefined;
  const profiles = excessProfiles(map, (median + max) / 3);
  const [x0, x1] = massRange(profiles.x);
  const [y0, y1] = massRange(profiles.y);
  // The mass quantiles sit inside the subject's outline; widen to cover its edges.
  const padX = (x1 - x0) * 0.2;
  const padY = (y1 - y0) * 0.2;
  const left = Math.max(0, x0 - padX);
  const top = Math.max(0, y0 - padY);
  const right = Math.min(map.width, x1 + padX);
  const bottom = Math.min(map.height, y1 + padY);
  const s = map.scale;
  return { left: left / s, top: top / s, width: (right - left) / s, height: (bottom - top) / s };
}

/**
 * Share of the way from the map's median to its maximum at which blobs are outlined. Real photos
 * put their subject's finest detail at the peak: a flower's disc of stamens, in a corner of the
 * frame while its petals fill the rest.
 */
const PEAK_LEVEL = 0.5;
/**
 * Share of everything above PEAK_LEVEL (its excess over the level) the peak's blob must hold to be
 * the subject. Measured on the annotated set (imaging/testing/subject-annotations.ts): a small lone
 * subject's blob held 0.84–1.0 (a flower's disc, a ladybird, a butterfly); fur, a facade, a crowd,
 * a room 0.1–0.46, a squirrel with its branch 0.75, an apple's highlight 0.72: there the peak is
 * one detail of something larger, and a crop kept around it would cut the rest.
 */
const PEAK_DOMINANCE = 0.8;
/** A blob over more than this share of the map is the whole picture, not a subject. */
const PEAK_MAX_SHARE = 0.5;

/**
 * The one salient blob in source pixels: the connected region around the map's maximum that stays
 * above PEAK_LEVEL, when it holds PEAK_DOMINANCE of what stands out. Undefined for flat images,
 * for interest spread over many places, and for a blob covering most of the picture.
 */
export function salientPeak(map: SaliencyMap, median = medianOf(map)): Rect | undefined {
  const { data, width: w, height: h } = map;
  let peak = 0;
  for (let i = 1; i < data.length; i++) if (data[i]! > data[peak]!) peak = i;
  const max = data[peak] ?? 0;
  if (max <= 0 || max < median * 2.5 + 1) return undefined;
  const level = median + PEAK_LEVEL * (max - median);
  let excess = 0;
  for (const v of data) excess += Math.max(0, v - level);
  let held = 0;
  const seen = new Uint8Array(data.length);
  const stack = new Int32Array(data.length);
  let top = 0;
  stack[top++] = peak;
  seen[peak] = 1;
  let [x0, y0, x1, y1] = [w, h, 0, 0];
  const visit = (j: number) => {
    if (!seen[j] && data[j]! >= level) {
      seen[j] = 1;
      stack[top++] = j;
    }
  };
  while (top > 0) {
    const i = stack[--top]!;
    const x = i % w;
    const y = (i - x) / w;
    held += data[i]! - level;
    x0 = Math.min(x0, x);
    x1 = Math.max(x1, x + 1);
    y0 = Math.min(y0, y);
    y1 = Math.max(y1, y + 1);
    if (x > 0) visit(i - 1);
    if (x < w - 1) visit(i + 1);
    if (y > 0) visit(i - w);
    if (y < h - 1) visit(i + w);
  }
  if (held < PEAK_DOMINANCE * excess || (x1 - x0) * (y1 - y0) > PEAK_MAX_SHARE * w * h) return undefined;
  const s = map.scale;
  return { left: x0 / s, top: y0 / s, width: (x1 - x0) / s, height: (y1 - y0) / s };
}

function massRange(p: Float64Array): [number, number] {
  const total = p.reduce((a, b) => a + b, 0);
  let acc = 0;
  let lo = 0;
  let hi = p.length;
  let foundLo = false;
  for (let i = 0; i < p.length; i++) {
    acc += p[i]!;
    if (!foundLo && acc >= total * 0.1) {
      lo = i;
      foundLo = true;
    }
    if (acc >= total * 0.9) {
      hi = i + 1;
      break;
    }
  }
  return [lo, hi];
}
