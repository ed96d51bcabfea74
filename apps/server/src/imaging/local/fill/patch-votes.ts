import type { MatchState } from './patch-search.ts';

/**
 * Rebuilding a level's hole pixels from their matched patches, over a band of rows: each hole
 * pixel is decided by the patches covering it alone, read in target order, and the sources read
 * are all known pixels (a source patch never touches the hole), so two bands done at once on two
 * threads give the same bytes as one pass.
 */
interface RowsJob {
  state: MatchState;
  pixels: Float32Array;
  hole: Uint8Array;
  /** All the level's targets, ascending. */
  targets: Int32Array;
  /** The hole pixels rebuilt: rows [firstRow, endRow). */
  firstRow: number;
  endRow: number;
}

/**
 * Averaging votes, weighted by match quality (sigma2: the scale of a good match's distance); the
 * match copy of the pixels (coarse levels match on the level itself) is kept in step.
 */
export interface VoteJob extends RowsJob {
  kind: 'vote';
  sigma2: number;
}

/** Copy from the best covering patch; `from` receives each hole pixel's source. */
export interface CopyJob extends RowsJob {
  kind: 'copy';
  from: Int32Array;
}

function patchArea(w: number, h: number, r: number, p: number): number {
  const px = p % w;
  const py = (p / w) | 0;
  return (
    (Math.min(w - 1, px + r) - Math.max(0, px - r) + 1) * (Math.min(h - 1, py + r) - Math.max(0, py - r) + 1)
  );
}

/** The distance of p's match per pixel and channel, as the vote weighs it (rounded as stored). */
export function normalisedDistance(state: MatchState, p: number): number {
  const { width: w, height: h, channels: c, r, dist } = state;
  return Math.fround(dist[p]! / (patchArea(w, h, r, p) * c));
}

/** The targets whose patches reach rows [firstRow, endRow): a contiguous run, as targets ascend. */
function targetsReaching(job: RowsJob): Int32Array {
  const { width: w, r } = job.state;
  const lowerBound = (index: number): number => {
    let lo = 0;
    let hi = job.targets.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (job.targets[mid]! < index) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return job.targets.subarray(
    lowerBound(Math.max(0, job.firstRow - r) * w),
    lowerBound((job.endRow + r) * w),
  );
}

/**
 * Sets every hole pixel from the best-matching patch that covers it: of the matched patches
 * overlapping the pixel, the one with the smallest distance per pixel gives its value (ties to
 * the nearest centre). No averaging, so fine grain that no two sources share survives; pieces
 * of source texture are copied whole.
 */
export function copyBestRows(job: CopyJob): void {
  const { state, pixels, hole, firstRow, endRow, from } = job;
  const { width: w, height: h, channels: c, r, nnf, dist } = state;
  const base = firstRow * w;
  const best = new Float32Array((endRow - firstRow) * w).fill(Infinity);
  for (const p of targetsReaching(job)) {
    const s = nnf[p]!;
    const d = dist[p]! / patchArea(w, h, r, p);
    const px = p % w;
    const py = (p / w) | 0;
    const dy1 = Math.min(r, endRow - 1 - py);
    for (let dy = Math.max(-r, firstRow - py); dy <= dy1; dy++) {
      const y = py + dy;
      for (let dx = -r; dx <= r; dx++) {
        const x = px + dx;
        if (x < 0 || x >= w) continue;
        const q = y * w + x;
        if (!hole[q]) continue;
        const score = d + (dx * dx + dy * dy) * 1e-3;
        if (score < best[q - base]!) {
          best[q - base] = score;
          from[q] = s + dy * w + dx;
        }
      }
    }
  }
  for (let q = base; q < endRow * w; q++) {
    const s = from[q]!;
    if (s < 0) continue;
    for (let k = 0; k < c; k++) pixels[q * c + k] = pixels[s * c + k]!;
  }
}

/**
 * Re-estimates every hole pixel as the similarity-weighted mean of the matched patches covering
 * it. Used on the coarse levels only: averaging finds a consistent layout there, and the finest
 * level copies instead (copyBestRows), since averaging cancels out fine grain.
 */
export function voteRows(job: VoteJob): void {
  const { state, pixels, hole, firstRow, endRow, sigma2 } = job;
  const { width: w, channels: c, r, nnf } = state;
  const base = firstRow * w;
  const acc = new Float32Array((endRow - firstRow) * w * c);
  const weights = new Float32Array((endRow - firstRow) * w);
  for (const p of targetsReaching(job)) {
    const s = nnf[p]!;
    const weight = Math.exp(-normalisedDistance(state, p) / (2 * sigma2));
    const px = p % w;
    const py = (p / w) | 0;
    const dy1 = Math.min(r, endRow - 1 - py);
    for (let dy = Math.max(-r, firstRow - py); dy <= dy1; dy++) {
      const y = py + dy;
      for (let dx = -r; dx <= r; dx++) {
        const x = px + dx;
        if (x < 0 || x >= w) continue;
        const q = y * w + x;
        if (!hole[q]) continue;
        const sq = s + dy * w + dx;
        const o = q - base;
        weights[o]! += weight;
        for (let k = 0; k < c; k++) acc[o * c + k]! += weight * pixels[sq * c + k]!;
      }
    }
  }
  const { match } = state;
  for (let o = 0; o < weights.length; o++) {
    if (!hole[base + o] || !weights[o]) continue;
    for (let k = 0; k < c; k++) {
      const i = (base + o) * c + k;
      pixels[i] = acc[o * c + k]! / weights[o]!;
      match[i] = pixels[i]!;
    }
  }
}
