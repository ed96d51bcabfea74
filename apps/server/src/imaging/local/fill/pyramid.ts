import type { FloatLevel } from './float-image.ts';

/**
 * 1 where the (2r+1)² box around a pixel contains any hole pixel. Worked out over the hole's
 * bounding box grown by r only: nothing beyond it can touch the hole, and a large hole's searched
 * area is several times its box.
 */
export function boxTouchesHole(level: FloatLevel, r: number): Uint8Array {
  const { width: w, height: h, hole } = level;
  const out = new Uint8Array(w * h);
  let hx0 = w;
  let hy0 = h;
  let hx1 = -1;
  let hy1 = -1;
  for (let y = 0; y < h; y++) {
    const row = y * w;
    let first = -1;
    let last = -1;
    for (let x = 0; x < w; x++) {
      if (!hole[row + x]) continue;
      if (first < 0) first = x;
      last = x;
    }
    if (first < 0) continue;
    if (hy1 < 0) hy0 = y;
    hy1 = y;
    if (first < hx0) hx0 = first;
    if (last > hx1) hx1 = last;
  }
  if (hx1 < 0) return out;
  // Integral image of the hole over its bounding box (bw × bh), with a zero row and column.
  const bw = hx1 - hx0 + 1;
  const bh = hy1 - hy0 + 1;
  const iw = bw + 1;
  const integral = new Int32Array(iw * (bh + 1));
  for (let y = 0; y < bh; y++) {
    let row = 0;
    const src = (y + hy0) * w + hx0;
    for (let x = 0; x < bw; x++) {
      row += hole[src + x]!;
      integral[(y + 1) * iw + x + 1] = integral[y * iw + x + 1]! + row;
    }
  }
  const y0 = Math.max(0, hy0 - r);
  const y1 = Math.min(h - 1, hy1 + r);
  const x0 = Math.max(0, hx0 - r);
  const x1 = Math.min(w - 1, hx1 + r);
  for (let y = y0; y <= y1; y++) {
    const ya = Math.max(0, y - r - hy0);
    const yb = Math.min(bh, y + r + 1 - hy0);
    for (let x = x0; x <= x1; x++) {
      const xa = Math.max(0, x - r - hx0);
      const xb = Math.min(bw, x + r + 1 - hx0);
      const sum =
        integral[yb * iw + xb]! - integral[ya * iw + xb]! - integral[yb * iw + xa]! + integral[ya * iw + xa]!;
      out[y * w + x] = sum > 0 ? 1 : 0;
    }
  }
  return out;
}

export function hasIntactPatch(level: FloatLevel, r: number): boolean {
  const touched = boxTouchesHole(level, r);
  for (let y = r; y < level.height - r; y++) {
    for (let x = r; x < level.width - r; x++) if (!touched[y * level.width + x]) return true;
  }
  return false;
}

/** Half-size level: each pixel the mean of its 2×2 block's known pixels, a hole if any of them is. */
export function downsample(level: FloatLevel): FloatLevel {
  const { width: w, height: h, channels: c } = level;
  const cw = Math.ceil(w / 2);
  const ch = Math.ceil(h / 2);
  const pixels = new Float32Array(cw * ch * c);
  const hole = new Uint8Array(cw * ch);
  for (let y = 0; y < ch; y++) {
    for (let x = 0; x < cw; x++) {
      const o = y * cw + x;
      let known = 0;
      let anyHole = 0;
      for (let dy = 0; dy < 2; dy++) {
        for (let dx = 0; dx < 2; dx++) {
          const fx = Math.min(w - 1, 2 * x + dx);
          const fy = Math.min(h - 1, 2 * y + dy);
          const i = fy * w + fx;
          if (level.hole[i]) {
            anyHole = 1;
            continue;
          }
          known++;
          for (let k = 0; k < c; k++) pixels[o * c + k]! += level.pixels[i * c + k]!;
        }
      }
      if (known) for (let k = 0; k < c; k++) pixels[o * c + k]! /= known;
      hole[o] = anyHole;
    }
  }
  return { width: cw, height: ch, channels: c, pixels, hole };
}

/** Onion-peel initial guess: fill the hole from its rim inwards with the mean of known neighbours. */
export function onionPeel(level: FloatLevel): void {
  const { width: w, height: h, channels: c, pixels } = level;
  const done = Uint8Array.from(level.hole, (v) => (v ? 0 : 1));
  const sum = new Float32Array(c);
  let frontier: number[] = [];
  for (let i = 0; i < w * h; i++) if (!done[i]) frontier.push(i);
  while (frontier.length) {
    const next: number[] = [];
    const filled: number[] = [];
    for (const i of frontier) {
      const x = i % w;
      const y = (i / w) | 0;
      let n = 0;
      sum.fill(0);
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          const ny = y + dy;
          if (nx < 0 || ny < 0 || nx >= w || ny >= h || !done[ny * w + nx]) continue;
          n++;
          for (let k = 0; k < c; k++) sum[k]! += pixels[(ny * w + nx) * c + k]!;
        }
      }
      if (!n) {
        next.push(i);
        continue;
      }
      for (let k = 0; k < c; k++) pixels[i * c + k] = sum[k]! / n;
      filled.push(i);
    }
    if (!filled.length) break;
    for (const i of filled) done[i] = 1;
    frontier = next;
  }
}

/**
 * The finest level's guide (its coarser level upsampled, every pixel) for rows [firstRow, endRow)
 * of `target`: rows are independent, so two bands can be worked out at once on two threads.
 */
export interface UpsampleJob {
  kind: 'upsample';
  coarse: FloatLevel;
  target: Uint8ClampedArray;
  width: number;
  height: number;
  firstRow: number;
  endRow: number;
}

export function upsampleRows(job: UpsampleJob): void {
  upsample(job.coarse, job.target, job.width, job.height, undefined, job.firstRow, job.endRow);
}

/**
 * Bilinear 2× upsampling of `coarse` into `target` (w×h×c floats), rows [firstRow, endRow); only
 * pixels where `only` is set when given (a level's hole), else every pixel.
 */
export function upsample(
  coarse: FloatLevel,
  target: Float32Array | Uint8ClampedArray,
  w: number,
  h: number,
  only?: Uint8Array,
  firstRow = 0,
  endRow = h,
): void {
  const c = coarse.channels;
  const cw = coarse.width;
  const ch = coarse.height;
  const src = coarse.pixels;
  for (let y = firstRow; y < endRow; y++) {
    const gy = Math.min(ch - 1, Math.max(0, (y + 0.5) / 2 - 0.5));
    const y0 = Math.floor(gy);
    const y1 = Math.min(ch - 1, y0 + 1);
    const fy = gy - y0;
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (only && !only[i]) continue;
      const gx = Math.min(cw - 1, Math.max(0, (x + 0.5) / 2 - 0.5));
      const x0 = Math.floor(gx);
      const x1 = Math.min(cw - 1, x0 + 1);
      const fx = gx - x0;
      for (let k = 0; k < c; k++) {
        const a = src[(y0 * cw + x0) * c + k]! * (1 - fx) + src[(y0 * cw + x1) * c + k]! * fx;
        const b = src[(y1 * cw + x0) * c + k]! * (1 - fx) + src[(y1 * cw + x1) * c + k]! * fx;
        target[i * c + k] = a * (1 - fy) + b * fy;
      }
    }
  }
}
