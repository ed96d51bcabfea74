import type { SplitStep, SweepJob } from './fill-jobs.ts';
import type { FloatLevel } from './float-image.ts';
import type { MatchState } from './patch-search.ts';
import { type CopyJob, normalisedDistance, type VoteJob } from './patch-votes.ts';
import { boxTouchesHole, type UpsampleJob } from './pyramid.ts';

export class NoSourceTextureError extends Error {}

/** Allocates on shared memory when asked, so another thread can work on the same arrays. */
function allocate<T extends Float32Array | Int32Array | Uint8Array | Uint8ClampedArray>(
  make: new (buffer: ArrayBufferLike) => T,
  bytesPerItem: number,
  length: number,
  shared: boolean,
): T {
  return new make(
    shared ? new SharedArrayBuffer(length * bytesPerItem) : new ArrayBuffer(length * bytesPerItem),
  );
}

/**
 * One pyramid level's match field, and the steps of the fill that work on it, each split in two
 * at the row of the median target (the first `splitIndex` targets lie above `splitRow`).
 */
export class LevelSolver {
  readonly targets: Int32Array;
  readonly validList: Int32Array;
  readonly state: MatchState;
  readonly shared: boolean;
  private readonly splitRow: number;
  private readonly splitIndex: number;

  constructor(
    readonly level: FloatLevel,
    readonly r: number,
    readonly random: () => number,
    /**
     * shared: arrays in shared memory (then the level's pixels and hole must be too); penalty:
     * see MatchState; guided: match on a guide (see guide()) instead of the level's own pixels as
     * they are now.
     */
    options: { penalty: Float32Array; shared?: boolean; guided?: boolean },
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
    this.targets = allocate(Int32Array, 4, targetCount, shared);
    this.validList = new Int32Array(validCount);
    let t = 0;
    let v = 0;
    for (let i = 0; i < w * h; i++) {
      if (isTarget[i]) this.targets[t++] = i;
      else if (valid[i]) this.validList[v++] = i;
    }
    const penalty = allocate(Float32Array, 4, w * h, shared);
    penalty.set(options.penalty);
    this.shared = shared;
    this.state = {
      width: w,
      height: h,
      channels: c,
      r,
      match: allocate(Uint8ClampedArray, 1, w * h * c, shared),
      penalty,
      valid,
      isTarget,
      nnf: allocate(Int32Array, 4, w * h, shared).fill(-1),
      dist: allocate(Float32Array, 4, w * h, shared),
    };
    if (!options.guided) this.state.match.set(level.pixels);
    const middle = targetCount >> 1;
    this.splitRow = middle < targetCount ? (this.targets[middle]! / w) | 0 : h;
    let split = middle;
    while (split > 0 && ((this.targets[split - 1]! / w) | 0) >= this.splitRow) split--;
    this.splitIndex = split;
  }

  get nnf(): Int32Array {
    return this.state.nnf;
  }

  /**
   * The finest level's guide, to match on: `coarse` (the coarser level's solution) upsampled over
   * the whole level, known pixels too, so both sides of a match are equally blurred. `coarse` must
   * be in shared memory when this level is.
   */
  guide(coarse: FloatLevel): SplitStep {
    const { width: w, height: h } = this.level;
    const job = (firstRow: number, endRow: number): UpsampleJob => ({
      kind: 'upsample',
      coarse,
      target: this.state.match,
      width: w,
      height: h,
      firstRow,
      endRow,
    });
    return { jobs: [job(0, h >> 1), job(h >> 1, h)], shared: this.shared };
  }

  randomSource(): number {
    return this.validList[Math.floor(this.random() * this.validList.length)]!;
  }

  /** Random matches everywhere; their distances are for the first search to compute. */
  randomInit(): void {
    for (const p of this.targets) this.state.nnf[p] = this.randomSource();
  }

  /**
   * Seeds the match field from the coarser level's (offsets doubled), random where that is
   * invalid. Distances are left for the next search step to refresh.
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
   * `sweeps` PatchMatch sweeps (0: only the refresh) of random-search radius `radius`, each half
   * with its own seed; `refresh` recomputes the match distances first (the image changed).
   */
  search(sweeps: number, radius: number, refresh: boolean): SplitStep {
    const h = this.level.height;
    // A refresh alone draws no seeds, so it leaves the sequence of the searches as it was.
    const seed = () => (sweeps ? Math.floor(this.random() * 4294967296) : 0);
    const job = (targets: Int32Array, firstRow: number, endRow: number): SweepJob => ({
      kind: 'sweep',
      state: this.state,
      targets,
      firstRow,
      endRow,
      seed: seed(),
      refresh,
      sweeps,
      radius,
    });
    return {
      jobs: [
        job(this.targets.subarray(0, this.splitIndex), 0, this.splitRow),
        job(this.targets.subarray(this.splitIndex), this.splitRow, h),
      ],
      shared: this.shared,
    };
  }

  /**
   * Re-estimates every hole pixel as the similarity-weighted mean of the matched patches covering
   * it (patch-votes.ts), weights scaled by the distance of the best quarter of the matches.
   */
  vote(): SplitStep {
    const normalised = new Float32Array(this.targets.length);
    for (let t = 0; t < this.targets.length; t++)
      normalised[t] = normalisedDistance(this.state, this.targets[t]!);
    const sorted = normalised.sort();
    const sigma2 = Math.max(1, sorted[Math.floor(sorted.length * 0.25)] ?? 1);
    const job = (firstRow: number, endRow: number): VoteJob => ({
      kind: 'vote',
      ...this.rows(firstRow, endRow),
      sigma2,
    });
    return { jobs: [job(0, this.splitRow), job(this.splitRow, this.level.height)], shared: this.shared };
  }

  /**
   * Copies each hole pixel from its best covering patch (patch-votes.ts); `from` receives, per
   * hole pixel, where its value came from (-1 elsewhere).
   */
  copyBest(): { step: SplitStep; from: Int32Array } {
    const { width: w, height: h } = this.level;
    const from = allocate(Int32Array, 4, w * h, this.shared).fill(-1);
    const job = (firstRow: number, endRow: number): CopyJob => ({
      kind: 'copy',
      ...this.rows(firstRow, endRow),
      from,
    });
    return { step: { jobs: [job(0, this.splitRow), job(this.splitRow, h)], shared: this.shared }, from };
  }

  private rows(firstRow: number, endRow: number) {
    const { pixels, hole } = this.level;
    return { state: this.state, pixels, hole, targets: this.targets, firstRow, endRow };
  }
}
