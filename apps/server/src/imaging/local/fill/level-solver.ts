import type { FloatLevel } from './float-image.ts';
import { boxTouchesHole } from './pyramid.ts';

export class NoSourceTextureError extends Error {}

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
  /** The pixels patches are compared on: the level itself, or at the finest level its guide. */
  match: Float32Array;
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
  img: Float32Array,
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

function tryCandidate(state: MatchState, p: number, s: number): void {
  const { valid, nnf, dist } = state;
  if (s < 0 || s >= valid.length || !valid[s] || s === nnf[p]) return;
  const d = matchDistance(state, p, s, dist[p]!);
  if (d < dist[p]!) {
    dist[p] = d;
    nnf[p] = s;
  }
}

/**
 * One PatchMatch sweep over `targets` (in row order): propagation from already-visited
 * neighbours, then random search around the current match. Neighbours outside rows
 * [firstRow, endRow) are not propagated from, so two parts of a level swept at once on two threads
 * never read each other's matches and the result does not depend on timing.
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
  const { width: w, height: h, isTarget, nnf } = state;
  const n = targets.length;
  const step = reverse ? -1 : 1;
  for (let t = reverse ? n - 1 : 0; reverse ? t >= 0 : t < n; t += step) {
    const p = targets[t]!;
    const x = p % w;
    const y = (p / w) | 0;
    const qx = x - step;
    if (qx >= 0 && qx < w && isTarget[p - step]) tryCandidate(state, p, nnf[p - step]! + step);
    const qy = y - step;
    if (qy >= firstRow && qy < endRow && isTarget[p - step * w])
      tryCandidate(state, p, nnf[p - step * w]! + step * w);
    for (let radius = maxRadius; radius >= 1; radius >>= 1) {
      const s = nnf[p]!;
      const sx = (s % w) + Math.round((random() * 2 - 1) * radius);
      const sy = ((s / w) | 0) + Math.round((random() * 2 - 1) * radius);
      if (sx < 0 || sy < 0 || sx >= w || sy >= h) continue;
      tryCandidate(state, p, sy * w + sx);
    }
  }
}

function patchArea(w: number, h: number, r: number, p: number): number {
  const px = p % w;
  const py = (p / w) | 0;
  return (
    (Math.min(w - 1, px + r) - Math.max(0, px - r) + 1) * (Math.min(h - 1, py + r) - Math.max(0, py - r) + 1)
  );
}

/** Allocates on shared memory when asked, so another thread can work on the same arrays. */
function allocate<T extends Float32Array | Int32Array | Uint8Array>(
  make: new (buffer: ArrayBufferLike) => T,
  bytesPerItem: number,
  length: number,
  shared: boolean,
): T {
  return new make(
    shared ? new SharedArrayBuffer(length * bytesPerItem) : new ArrayBuffer(length * bytesPerItem),
  );
}

/** One pyramid level's match field and the steps of the fill that work on it. */
export class LevelSolver {
  readonly targets: Int32Array;
  readonly validList: Int32Array;
  readonly state: MatchState;

  constructor(
    readonly level: FloatLevel,
    readonly r: number,
    readonly random: () => number,
    /** shared: arrays in shared memory (then `match` must be too); match, penalty: see MatchState. */
    options: { penalty: Float32Array; shared?: boolean; match?: Float32Array },
  ) {
    const { width: w, height: h, channels: c } = level;
    const shared = options.shared ?? false;
    const isTarget = allocate(Uint8Array, 1, w * h, shared);
    isTarget.set(boxTouchesHole(level, r));
    const valid = allocate(Uint8Array, 1, w * h, shared);
    let targetCount = 0;
    let validCount = 0;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const i = y * w + x;
        if (isTarget[i]) targetCount++;
        else if (x >= r && y >= r && x < w - r && y < h - r) {
          valid[i] = 1;
          validCount++;
        }
      }
    }
    if (!validCount) throw new NoSourceTextureError('No fully known patch to copy texture from.');
    this.targets = new Int32Array(targetCount);
    this.validList = new Int32Array(validCount);
    let t = 0;
    let v = 0;
    for (let i = 0; i < w * h; i++) {
      if (isTarget[i]) this.targets[t++] = i;
      else if (valid[i]) this.validList[v++] = i;
    }
    const penalty = allocate(Float32Array, 4, w * h, shared);
    penalty.set(options.penalty);
    this.state = {
      width: w,
      height: h,
      channels: c,
      r,
      match: options.match ?? level.pixels,
      penalty,
      valid,
      isTarget,
      nnf: allocate(Int32Array, 4, w * h, shared).fill(-1),
      dist: allocate(Float32Array, 4, w * h, shared),
    };
  }

  get nnf(): Int32Array {
    return this.state.nnf;
  }

  randomSource(): number {
    return this.validList[Math.floor(this.random() * this.validList.length)]!;
  }

  /** Recomputes all match distances after the image changed. */
  refreshDistances(): void {
    const { nnf, dist } = this.state;
    for (const p of this.targets) dist[p] = matchDistance(this.state, p, nnf[p]!);
  }

  randomInit(): void {
    for (const p of this.targets) this.state.nnf[p] = this.randomSource();
    this.refreshDistances();
  }

  /**
   * Seeds the match field from the coarser level's (offsets doubled), random where that is
   * invalid. Distances are left for the caller to refresh (the finest level does it split).
   */
  initFrom(coarse: LevelSolver): void {
    const { width: w, height: h } = this.level;
    const { nnf, valid } = this.state;
    const cw = coarse.level.width;
    const ch = coarse.level.height;
    for (const p of this.targets) {
      const x = p % w;
      const y = (p / w) | 0;
      const cp = Math.min(ch - 1, y >> 1) * cw + Math.min(cw - 1, x >> 1);
      const cs = coarse.nnf[cp]!;
      let s = -1;
      if (cs >= 0) {
        const sx = 2 * (cs % cw) + (x & 1);
        const sy = 2 * ((cs / cw) | 0) + (y & 1);
        if (sx < w && sy < h && valid[sy * w + sx]) s = sy * w + sx;
      }
      nnf[p] = s >= 0 ? s : this.randomSource();
    }
  }

  /**
   * Sets every hole pixel from the best-matching patch that covers it: of the matched patches
   * overlapping the pixel, the one with the smallest distance per pixel gives its value (ties to
   * the nearest centre). No averaging, so fine grain that no two sources share survives; pieces
   * of source texture are copied whole. Returns, per hole pixel, where its value came from.
   */
  copyBest(): Int32Array {
    const { width: w, height: h, channels: c, pixels, hole } = this.level;
    const { nnf, dist } = this.state;
    const r = this.r;
    const best = new Float32Array(w * h).fill(Infinity);
    const from = new Int32Array(w * h).fill(-1);
    for (let t = 0; t < this.targets.length; t++) {
      const p = this.targets[t]!;
      const s = nnf[p]!;
      const d = dist[p]! / patchArea(w, h, r, p);
      const px = p % w;
      const py = (p / w) | 0;
      for (let dy = -r; dy <= r; dy++) {
        const y = py + dy;
        if (y < 0 || y >= h) continue;
        for (let dx = -r; dx <= r; dx++) {
          const x = px + dx;
          if (x < 0 || x >= w) continue;
          const q = y * w + x;
          if (!hole[q]) continue;
          const score = d + (dx * dx + dy * dy) * 1e-3;
          if (score < best[q]!) {
            best[q] = score;
            from[q] = s + dy * w + dx;
          }
        }
      }
    }
    for (let q = 0; q < w * h; q++) {
      const s = from[q]!;
      if (s < 0) continue;
      for (let k = 0; k < c; k++) pixels[q * c + k] = pixels[s * c + k]!;
    }
    return from;
  }

  /**
   * Re-estimates every hole pixel as the similarity-weighted mean of the matched patches covering
   * it. Used on the coarse levels only: averaging finds a consistent layout there, and the finest
   * level copies instead (copyBest), since averaging cancels out fine grain.
   */
  vote(): void {
    const { width: w, height: h, channels: c, pixels, hole } = this.level;
    const { nnf, dist } = this.state;
    const r = this.r;
    const normalised = new Float32Array(this.targets.length);
    for (let t = 0; t < this.targets.length; t++) {
      const p = this.targets[t]!;
      normalised[t] = dist[p]! / (patchArea(w, h, r, p) * c);
    }
    const sorted = Float32Array.from(normalised).sort();
    const sigma2 = Math.max(1, sorted[Math.floor(sorted.length * 0.25)] ?? 1);
    const acc = new Float32Array(w * h * c);
    const weights = new Float32Array(w * h);
    for (let t = 0; t < this.targets.length; t++) {
      const p = this.targets[t]!;
      const s = nnf[p]!;
      const weight = Math.exp(-normalised[t]! / (2 * sigma2));
      const px = p % w;
      const py = (p / w) | 0;
      for (let dy = -r; dy <= r; dy++) {
        const y = py + dy;
        if (y < 0 || y >= h) continue;
        for (let dx = -r; dx <= r; dx++) {
          const x = px + dx;
          if (x < 0 || x >= w) continue;
          const q = y * w + x;
          if (!hole[q]) continue;
          const sq = s + dy * w + dx;
          weights[q]! += weight;
          for (let k = 0; k < c; k++) acc[q * c + k]! += weight * pixels[sq * c + k]!;
        }
      }
    }
    for (let q = 0; q < w * h; q++) {
      if (!hole[q] || !weights[q]) continue;
      for (let k = 0; k < c; k++) pixels[q * c + k] = acc[q * c + k]! / weights[q]!;
    }
  }
}
