/** The PatchMatch search itself: match distances and sweeps over plain typed arrays. */

/** xorshift32: a seeded generator, so a fill is repeatable (and the same on any thread). */
export function rng(seed: number): () => number {
  let a = seed >>> 0 || 1;
  return () => {
    a ^= a << 13;
    a ^= a >>> 17;
    a ^= a << 5;
    return (a >>> 0) / 4294967296;
  };
}

/**
 * What a PatchMatch sweep reads and writes, as plain typed arrays so that a second thread can
 * sweep part of the same level over shared memory.
 */
export interface MatchState {
  width: number;
  height: number;
  channels: number;
  r: number;
  /**
   * The pixels patches are compared on (the level itself, or at the finest level its guide),
   * rounded to bytes: integer differences over a quarter of the memory take half the time of
   * floats, and half a grey level is far below what tells two patches apart.
   */
  match: Uint8ClampedArray;
  /** Per source pixel, the cost added to any match with it (flatnessPenalty). */
  penalty: Float32Array;
  /** 1 where a fully known patch is centred: a possible source. */
  valid: Uint8Array;
  /** 1 where the patch touches the hole: a pixel that needs a match. */
  isTarget: Uint8Array;
  /** Per target, its source pixel; per target, the distance to it. */
  nnf: Int32Array;
  dist: Float32Array;
}

/** Sum of squared differences between the patches at p and s, clipped to the image, stopping past `best`. */
function patchDistance(
  img: Uint8ClampedArray,
  w: number,
  h: number,
  c: number,
  r: number,
  p: number,
  s: number,
  best: number,
): number {
  const px = p % w;
  const py = (p / w) | 0;
  const x0 = px - r < 0 ? -px : -r;
  const x1 = px + r >= w ? w - 1 - px : r;
  const y0 = py - r < 0 ? -py : -r;
  const y1 = py + r >= h ? h - 1 - py : r;
  const n = (x1 - x0 + 1) * c;
  const off = (s - p) * c;
  let d = 0;
  for (let dy = y0; dy <= y1; dy++) {
    const start = ((py + dy) * w + px + x0) * c;
    for (let k = start; k < start + n; k++) {
      const e = img[k]! - img[k + off]!;
      d += e * e;
    }
    if (d >= best) return d;
  }
  return d;
}

export function matchDistance(state: MatchState, p: number, s: number, best = Infinity): number {
  const extra = state.penalty[s]!;
  const { width: w, height: h, channels: c, r, match } = state;
  return extra + patchDistance(match, w, h, c, r, p, s, best - extra);
}

/**
 * SSD between the target window starting at `first` (`rows` rows of `span` values, `stride`
 * apart) and the same window `offset` values away, stopping once it reaches `limit`.
 */
function windowDistance(
  match: Uint8ClampedArray,
  first: number,
  rows: number,
  span: number,
  stride: number,
  offset: number,
  limit: number,
): number {
  let d = 0;
  for (let row = 0, start = first; row < rows; row++, start += stride) {
    const end = start + span;
    for (let k = start; k < end; k++) {
      const e = match[k]! - match[k + offset]!;
      d += e * e;
    }
    if (d >= limit) return d;
  }
  return d;
}

/**
 * One PatchMatch sweep over `targets` (in row order): propagation from already-visited
 * neighbours, then random search around the current match. Neighbours outside rows
 * [firstRow, endRow) are not propagated from, so two parts of a level swept at once on two threads
 * never read each other's matches and the result does not depend on timing. Each target's patch
 * window (clipped to the image) is worked out once for all its candidates.
 */
export function sweep(
  state: MatchState,
  targets: Int32Array,
  firstRow: number,
  endRow: number,
  reverse: boolean,
  maxRadius: number,
  random: () => number,
): void {
  const { width: w, height: h, channels: c, r, match, penalty, valid, isTarget, nnf, dist } = state;
  const size = w * h;
  const stride = w * c;
  const n = targets.length;
  const step = reverse ? -1 : 1;
  for (let t = reverse ? n - 1 : 0; reverse ? t >= 0 : t < n; t += step) {
    const p = targets[t]!;
    const x = p % w;
    const y = (p / w) | 0;
    const x0 = x - r < 0 ? -x : -r;
    const x1 = x + r >= w ? w - 1 - x : r;
    const y0 = y - r < 0 ? -y : -r;
    const y1 = y + r >= h ? h - 1 - y : r;
    const rows = y1 - y0 + 1;
    const span = (x1 - x0 + 1) * c;
    const first = ((y + y0) * w + x + x0) * c;
    let best = dist[p]!;
    let bestSource = nnf[p]!;
    const propagated = [
      x - step >= 0 && x - step < w && isTarget[p - step] ? nnf[p - step]! + step : -1,
      y - step >= firstRow && y - step < endRow && isTarget[p - step * w]
        ? nnf[p - step * w]! + step * w
        : -1,
    ];
    for (const s of propagated) {
      if (s < 0 || s >= size || !valid[s] || s === bestSource) continue;
      const extra = penalty[s]!;
      const d = extra + windowDistance(match, first, rows, span, stride, (s - p) * c, best - extra);
      if (d < best) {
        best = Math.fround(d);
        bestSource = s;
      }
    }
    for (let radius = maxRadius; radius >= 1; radius >>= 1) {
      const sx = (bestSource % w) + Math.round((random() * 2 - 1) * radius);
      const sy = ((bestSource / w) | 0) + Math.round((random() * 2 - 1) * radius);
      if (sx < 0 || sy < 0 || sx >= w || sy >= h) continue;
      const s = sy * w + sx;
      if (!valid[s] || s === bestSource) continue;
      const extra = penalty[s]!;
      const d = extra + windowDistance(match, first, rows, span, stride, (s - p) * c, best - extra);
      if (d < best) {
        best = Math.fround(d);
        bestSource = s;
      }
    }
    dist[p] = best;
    nnf[p] = bestSource;
  }
}
