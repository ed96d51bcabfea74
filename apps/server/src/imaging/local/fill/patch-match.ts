import { distanceTransform } from '../mask.ts';
import type { RawImage, RawMask } from '../raw-image.ts';
import { cropToLevel, type FloatLevel, maskBounds, pasteHole, type Rect } from './float-image.ts';
import { poissonBlend } from './poisson-blend.ts';

/**
 * Exemplar-based hole filling (Wexler et al. 2007 with Barnes et al.'s PatchMatch): on a
 * coarse-to-fine pyramid, alternate (a) finding for every patch touching the hole its most
 * similar fully-known patch, by random search and propagation of good offsets, and (b) re-voting
 * every hole pixel from the matched patches that cover it. Copies real texture instead of smearing.
 */
export interface PatchMatchOptions {
  /** Patch half-size: 3 gives 7×7 patches. */
  patchRadius?: number;
  seed?: number;
  /** Limits the search to the hole's surroundings; the default scales with the hole size. */
  searchMargin?: number;
}

/** Coarse levels are small, so their blend converges fully; the finest only cleans up locally. */
const COARSE_POISSON_ITERATIONS = 400;
const FINE_POISSON_ITERATIONS = 100;

export class NoSourceTextureError extends Error {}

function rng(seed: number): () => number {
  let a = seed >>> 0 || 1;
  return () => {
    a ^= a << 13;
    a ^= a >>> 17;
    a ^= a << 5;
    return (a >>> 0) / 4294967296;
  };
}

/** 1 where the (2r+1)² box around a pixel contains any hole pixel. */
function boxTouchesHole(level: FloatLevel, r: number): Uint8Array {
  const { width: w, height: h, hole } = level;
  const iw = w + 1;
  const integral = new Int32Array(iw * (h + 1));
  for (let y = 0; y < h; y++) {
    let row = 0;
    for (let x = 0; x < w; x++) {
      row += hole[y * w + x]!;
      integral[(y + 1) * iw + x + 1] = integral[y * iw + x + 1]! + row;
    }
  }
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    const ya = Math.max(0, y - r);
    const yb = Math.min(h, y + r + 1);
    for (let x = 0; x < w; x++) {
      const xa = Math.max(0, x - r);
      const xb = Math.min(w, x + r + 1);
      const sum =
        integral[yb * iw + xb]! - integral[ya * iw + xb]! - integral[yb * iw + xa]! + integral[ya * iw + xa]!;
      out[y * w + x] = sum > 0 ? 1 : 0;
    }
  }
  return out;
}

function downsample(level: FloatLevel): FloatLevel {
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
function onionPeel(level: FloatLevel): void {
  const { width: w, height: h, channels: c, pixels } = level;
  const done = Uint8Array.from(level.hole, (v) => (v ? 0 : 1));
  let frontier: number[] = [];
  for (let i = 0; i < w * h; i++) if (!done[i]) frontier.push(i);
  while (frontier.length) {
    const next: number[] = [];
    const filled: number[] = [];
    for (const i of frontier) {
      const x = i % w;
      const y = (i / w) | 0;
      let n = 0;
      const sum = new Float32Array(c);
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

function patchArea(w: number, h: number, r: number, p: number): number {
  const px = p % w;
  const py = (p / w) | 0;
  return (
    (Math.min(w - 1, px + r) - Math.max(0, px - r) + 1) * (Math.min(h - 1, py + r) - Math.max(0, py - r) + 1)
  );
}

class LevelSolver {
  readonly targets: Int32Array;
  readonly isTarget: Uint8Array;
  readonly valid: Uint8Array;
  readonly validList: Int32Array;
  readonly nnf: Int32Array;
  readonly dist: Float32Array;

  constructor(
    readonly level: FloatLevel,
    readonly r: number,
    readonly random: () => number,
  ) {
    const { width: w, height: h } = level;
    this.isTarget = boxTouchesHole(level, r);
    const touched = this.isTarget;
    this.valid = new Uint8Array(w * h);
    const validList: number[] = [];
    const targets: number[] = [];
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const i = y * w + x;
        if (touched[i]) targets.push(i);
        else if (x >= r && y >= r && x < w - r && y < h - r) {
          this.valid[i] = 1;
          validList.push(i);
        }
      }
    }
    if (!validList.length) throw new NoSourceTextureError('No fully known patch to copy texture from.');
    this.targets = Int32Array.from(targets);
    this.validList = Int32Array.from(validList);
    this.nnf = new Int32Array(w * h).fill(-1);
    this.dist = new Float32Array(w * h);
  }

  randomSource(): number {
    return this.validList[Math.floor(this.random() * this.validList.length)]!;
  }

  distance(p: number, s: number, best = Infinity): number {
    const { width: w, height: h, channels: c, pixels } = this.level;
    return patchDistance(pixels, w, h, c, this.r, p, s, best);
  }

  /** Recomputes all match distances after the image changed. */
  refreshDistances(): void {
    for (const p of this.targets) this.dist[p] = this.distance(p, this.nnf[p]!);
  }

  randomInit(): void {
    for (const p of this.targets) this.nnf[p] = this.randomSource();
    this.refreshDistances();
  }

  /** Seeds the match field from the coarser level's (offsets doubled), random where that is invalid. */
  initFrom(coarse: LevelSolver): void {
    const { width: w } = this.level;
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
        if (sx < w && sy < this.level.height && this.valid[sy * w + sx]) s = sy * w + sx;
      }
      this.nnf[p] = s >= 0 ? s : this.randomSource();
    }
    this.refreshDistances();
  }

  private tryCandidate(p: number, s: number): void {
    if (s < 0 || s >= this.valid.length || !this.valid[s] || s === this.nnf[p]) return;
    const d = this.distance(p, s, this.dist[p]!);
    if (d < this.dist[p]!) {
      this.dist[p] = d;
      this.nnf[p] = s;
    }
  }

  /** One PatchMatch sweep: propagation from already-visited neighbours, then random search. */
  sweep(reverse: boolean, maxRadius: number): void {
    const { width: w, height: h } = this.level;
    const n = this.targets.length;
    const step = reverse ? -1 : 1;
    for (let t = reverse ? n - 1 : 0; reverse ? t >= 0 : t < n; t += step) {
      const p = this.targets[t]!;
      const x = p % w;
      const y = (p / w) | 0;
      const qx = x - step;
      if (qx >= 0 && qx < w && this.isTarget[p - step]) this.tryCandidate(p, this.nnf[p - step]! + step);
      const qy = y - step;
      if (qy >= 0 && qy < h && this.isTarget[p - step * w])
        this.tryCandidate(p, this.nnf[p - step * w]! + step * w);
      for (let radius = maxRadius; radius >= 1; radius >>= 1) {
        const s = this.nnf[p]!;
        const sx = (s % w) + Math.round((this.random() * 2 - 1) * radius);
        const sy = ((s / w) | 0) + Math.round((this.random() * 2 - 1) * radius);
        if (sx < 0 || sy < 0 || sx >= w || sy >= h) continue;
        this.tryCandidate(p, sy * w + sx);
      }
    }
  }

  /**
   * Sets every hole pixel to the centre of its own best match. Averaging overlapping patches
   * cancels out fine grain that no two sources share, so the last step copies instead.
   */
  copyCentres(): void {
    const { channels: c, pixels, hole } = this.level;
    for (const p of this.targets) {
      if (!hole[p]) continue;
      const s = this.nnf[p]!;
      for (let k = 0; k < c; k++) pixels[p * c + k] = pixels[s * c + k]!;
    }
  }

  /** Re-estimates every hole pixel as the similarity-weighted mean of the matched patches covering it. */
  vote(): void {
    const { width: w, height: h, channels: c, pixels, hole } = this.level;
    const r = this.r;
    const normalised = new Float32Array(this.targets.length);
    this.targets.forEach((p, t) => {
      normalised[t] = this.dist[p]! / (patchArea(w, h, r, p) * c);
    });
    const sorted = Float32Array.from(normalised).sort();
    const sigma2 = Math.max(1, sorted[Math.floor(sorted.length * 0.25)] ?? 1);
    const acc = new Float32Array(w * h * c);
    const weights = new Float32Array(w * h);
    for (let t = 0; t < this.targets.length; t++) {
      const p = this.targets[t]!;
      const s = this.nnf[p]!;
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

/** Bilinear upsampling of the coarse solution into the fine level's hole pixels. */
function upsampleInto(fine: FloatLevel, coarse: FloatLevel): void {
  const { width: w, height: h, channels: c } = fine;
  const cw = coarse.width;
  const ch = coarse.height;
  for (let y = 0; y < h; y++) {
    const gy = Math.min(ch - 1, Math.max(0, (y + 0.5) / 2 - 0.5));
    const y0 = Math.floor(gy);
    const y1 = Math.min(ch - 1, y0 + 1);
    const fy = gy - y0;
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (!fine.hole[i]) continue;
      const gx = Math.min(cw - 1, Math.max(0, (x + 0.5) / 2 - 0.5));
      const x0 = Math.floor(gx);
      const x1 = Math.min(cw - 1, x0 + 1);
      const fx = gx - x0;
      for (let k = 0; k < c; k++) {
        const a =
          coarse.pixels[(y0 * cw + x0) * c + k]! * (1 - fx) + coarse.pixels[(y0 * cw + x1) * c + k]! * fx;
        const b =
          coarse.pixels[(y1 * cw + x0) * c + k]! * (1 - fx) + coarse.pixels[(y1 * cw + x1) * c + k]! * fx;
        fine.pixels[i * c + k] = a * (1 - fy) + b * fy;
      }
    }
  }
}

function searchRect(mask: RawMask, bounds: Rect, margin: number): Rect {
  const x0 = Math.max(0, bounds.x - margin);
  const y0 = Math.max(0, bounds.y - margin);
  const x1 = Math.min(mask.width, bounds.x + bounds.width + margin);
  const y1 = Math.min(mask.height, bounds.y + bounds.height + margin);
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

function hasIntactPatch(level: FloatLevel, r: number): boolean {
  const touched = boxTouchesHole(level, r);
  for (let y = r; y < level.height - r; y++) {
    for (let x = r; x < level.width - r; x++) if (!touched[y * level.width + x]) return true;
  }
  return false;
}

/** Largest distance from a hole pixel to the nearest known pixel: how "thick" the hole is. */
export function holeThickness(level: { width: number; height: number; hole: Uint8Array }): number {
  const d = distanceTransform(level.width, level.height, (i) => !level.hole[i]);
  let max = 0;
  for (let i = 0; i < d.length; i++) if (level.hole[i] && d[i]! > max) max = d[i]!;
  return max;
}

/** Fills the masked pixels of `img` with texture copied from the rest of the image. */
export function patchMatchFill(img: RawImage, mask: RawMask, options: PatchMatchOptions = {}): RawImage {
  const out: RawImage = { ...img, data: Buffer.from(img.data) };
  const bounds = maskBounds(mask);
  if (!bounds) return out;
  const r = options.patchRadius ?? 3;
  const margin = options.searchMargin ?? Math.max(48, Math.max(bounds.width, bounds.height));
  const rect = searchRect(mask, bounds, margin);
  const levels: FloatLevel[] = [cropToLevel(img, mask, rect)];
  const thickness = holeThickness(levels[0]!);
  const minSide = 3 * (2 * r + 1);
  while (thickness / 2 ** (levels.length - 1) > r + 1) {
    const last = levels[levels.length - 1]!;
    if (Math.min(last.width, last.height) / 2 < minSide) break;
    const next = downsample(last);
    // A level where every patch touches the hole has nothing to copy from: stop one level finer.
    if (!hasIntactPatch(next, r)) break;
    levels.push(next);
  }
  const random = rng(options.seed ?? 0x5eed);
  let previous: LevelSolver | undefined;
  for (let l = levels.length - 1; l >= 0; l--) {
    const level = levels[l]!;
    const solver = new LevelSolver(level, r, random);
    if (previous) {
      upsampleInto(level, previous.level);
      solver.initFrom(previous);
    } else {
      onionPeel(level);
      solver.randomInit();
    }
    // The coarsest level searches everywhere; finer levels inherit its matches (offsets doubled), so
    // they only refine nearby, which is most of the saving on large holes.
    const searchRadius = previous
      ? Math.max(16, Math.max(level.width, level.height) >> 3)
      : Math.max(level.width, level.height);
    const emIterations = l === 0 ? 2 : previous ? 3 : 5;
    for (let em = 0; em < emIterations; em++) {
      if (em > 0) solver.refreshDistances();
      for (let i = 0; i < (previous ? 2 : 4); i++) solver.sweep(i % 2 === 1, searchRadius);
      solver.vote();
    }
    solver.refreshDistances();
    solver.sweep(false, searchRadius);
    solver.copyCentres();
    poissonBlend(level, solver.nnf, l === 0 ? FINE_POISSON_ITERATIONS : COARSE_POISSON_ITERATIONS);
    previous = solver;
  }
  pasteHole(out, levels[0]!, rect);
  return out;
}
