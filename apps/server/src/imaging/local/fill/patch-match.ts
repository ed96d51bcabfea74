import { maskArea } from '../mask.ts';
import type { RawImage, RawMask } from '../raw-image.ts';
import { type FillJob, runFillJob, type SplitStep } from './fill-jobs.ts';
import { flatnessPenalty, penaltyAtScale, type SigmaJob } from './flatness.ts';
import { cropToLevel, type FloatLevel, maskBounds, pasteHole, type Rect, shareLevel } from './float-image.ts';
import { LevelSolver } from './level-solver.ts';
import { rng } from './patch-search.ts';
import { poissonBlend } from './poisson-blend.ts';
import { downsample, hasIntactPatch, onionPeel, upsample } from './pyramid.ts';

export { NoSourceTextureError } from './level-solver.ts';

/**
 * Exemplar-based hole filling (Wexler et al. 2007 with Barnes et al.'s PatchMatch): on a
 * coarse-to-fine pyramid, alternate (a) finding for every patch touching the hole its most
 * similar fully-known patch, by random search and propagation of good offsets, and (b) re-voting
 * every hole pixel from the matched patches that cover it. The finest level does not vote: it
 * matches on a guide (the coarser solution, upsampled, beside the known pixels equally blurred)
 * and copies the sharp source pixels of the best patch over each hole pixel, so the texture's
 * fine grain survives; a border-only Poisson blend then hides the seam.
 */
export interface PatchMatchOptions {
  /** Patch half-size: 3 gives 7×7 patches. */
  patchRadius?: number;
  seed?: number;
  /**
   * Limits the search to the hole's surroundings. The default is the hole's size up to 128 px,
   * and half of it more beyond: a large hole's surroundings hold several times its area in
   * source patches already, while all the work outside the searches grows with the area searched
   * (a 10% disc of 2048²: 2.5 MP instead of all 4.2).
   */
  searchMargin?: number;
}

/** Coarse levels are small, so their blend converges fully; the finest only cleans up locally. */
const COARSE_POISSON_ITERATIONS = 200;
const FINE_POISSON_ITERATIONS = 100;
/** How far into the hole (pixels) the border blend reaches before its correction fades out. */
const BLEND_BAND = 16;
/** Random-search radius at the finest level: its matches come from the coarser level's. */
const FINE_SEARCH_RADIUS = 16;
/**
 * Sweeps at the finest level: its matches come from the coarser level's, refined on a guide.
 * A second sweep costs a fifth of a large fill and changes little (on the real-photo holes over
 * seeds 1–4: seam ratio at most 1.32 instead of 1.26, texture keep 0.64–1.37 either way).
 */
const FINE_SWEEPS = 1;

function searchRect(mask: RawMask, bounds: Rect, margin: number): Rect {
  const x0 = Math.max(0, bounds.x - margin);
  const y0 = Math.max(0, bounds.y - margin);
  const x1 = Math.min(mask.width, bounds.x + bounds.width + margin);
  const y1 = Math.min(mask.height, bounds.y + bounds.height + margin);
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/**
 * How "thick" the hole is: the most 8-neighbour steps from a hole pixel to the nearest known
 * pixel (the radius, for a disc), 0 when nothing is known. A two-pass chessboard distance
 * transform over the hole's bounding box grown by a pixel: that ring is known wherever the image
 * has it, so no hole pixel's nearest known pixel lies beyond it.
 */
export function holeThickness(level: { width: number; height: number; hole: Uint8Array }): number {
  const { width: w, height: h, hole } = level;
  const bounds = maskBounds({ width: w, height: h, data: hole });
  if (!bounds) return 0;
  const x0 = Math.max(0, bounds.x - 1);
  const y0 = Math.max(0, bounds.y - 1);
  const bw = Math.min(w, bounds.x + bounds.width + 1) - x0;
  const bh = Math.min(h, bounds.y + bounds.height + 1) - y0;
  const far = bw + bh;
  const d = new Int32Array(bw * bh);
  for (let y = 0; y < bh; y++) {
    for (let x = 0; x < bw; x++) d[y * bw + x] = hole[(y + y0) * w + x + x0] ? far : 0;
  }
  for (let y = 0; y < bh; y++) {
    for (let x = 0; x < bw; x++) {
      const i = y * bw + x;
      let v = d[i]!;
      if (!v) continue;
      if (x > 0) v = Math.min(v, d[i - 1]! + 1);
      if (y > 0) {
        v = Math.min(v, d[i - bw]! + 1);
        if (x > 0) v = Math.min(v, d[i - bw - 1]! + 1);
        if (x + 1 < bw) v = Math.min(v, d[i - bw + 1]! + 1);
      }
      d[i] = v;
    }
  }
  let deepest = 0;
  for (let y = bh - 1; y >= 0; y--) {
    for (let x = bw - 1; x >= 0; x--) {
      const i = y * bw + x;
      let v = d[i]!;
      if (!v) continue;
      if (x + 1 < bw) v = Math.min(v, d[i + 1]! + 1);
      if (y + 1 < bh) {
        v = Math.min(v, d[i + bw]! + 1);
        if (x + 1 < bw) v = Math.min(v, d[i + bw + 1]! + 1);
        if (x > 0) v = Math.min(v, d[i + bw - 1]! + 1);
      }
      d[i] = v;
      if (v > deepest) deepest = v;
    }
  }
  return deepest >= far ? 0 : deepest;
}

function buildPyramid(finest: FloatLevel, r: number): FloatLevel[] {
  const levels = [finest];
  const thickness = holeThickness(finest);
  const minSide = 3 * (2 * r + 1);
  while (thickness / 2 ** (levels.length - 1) > r + 1) {
    const last = levels[levels.length - 1]!;
    if (Math.min(last.width, last.height) / 2 < minSide) break;
    const next = downsample(last);
    // A level where every patch touches the hole has nothing to copy from: stop one level finer.
    if (!hasIntactPatch(next, r)) break;
    levels.push(next);
  }
  return levels;
}

function holePixels(level: FloatLevel): number {
  let n = 0;
  for (let i = 0; i < level.width * level.height; i++) n += level.hole[i]!;
  return n;
}

/**
 * A coarse level (or the only one): EM with averaging votes, then a copy and a blend. Its steps
 * are yielded (split in two) for the driver to run.
 */
function* solveCoarse(
  level: FloatLevel,
  r: number,
  random: () => number,
  shareFrom: number,
  penalty: Float32Array,
  previous?: LevelSolver,
): Generator<SplitStep, LevelSolver, void> {
  const shared = holePixels(level) >= shareFrom;
  if (shared) shareLevel(level);
  if (previous) upsample(previous.level, level.pixels, level.width, level.height, level.hole);
  else onionPeel(level);
  const solver = new LevelSolver(level, r, random, { shared, penalty });
  if (previous) {
    solver.initFrom(previous);
    yield solver.search(0, 0, true);
    // Start from what the inherited matches say at this resolution, not the blurry upsampling.
    yield solver.vote();
  } else {
    solver.randomInit();
  }
  // The coarsest level searches everywhere; finer levels inherit its matches (offsets doubled), so
  // they only refine nearby, which is most of the saving on large holes.
  const searchRadius = previous
    ? Math.max(16, Math.max(level.width, level.height) >> 3)
    : Math.max(level.width, level.height);
  // Finer levels start from their coarser level's matches, so one EM round refines them enough
  // (the real-photo holes keep the same texture, PSNR and seams as with two).
  const emIterations = previous ? 1 : 5;
  for (let em = 0; em < emIterations; em++) {
    yield solver.search(previous ? 2 : 4, searchRadius, true);
    yield solver.vote();
  }
  yield solver.search(1, searchRadius, true);
  const { step, from } = solver.copyBest();
  yield step;
  yield poissonBlend(level, from, BLEND_BAND, COARSE_POISSON_ITERATIONS, shared);
  return solver;
}

/**
 * The fill as steps: it yields each search, vote and copy (split in two halves) for the caller to
 * run, here or half of it on another thread, and returns the filled image. A level is put in
 * shared memory when its hole has at least `shareFrom` pixels. Exported for the benchmark, which
 * times the halves of each step.
 */
export function* fillSteps(
  img: RawImage,
  mask: RawMask,
  options: PatchMatchOptions,
  shareFrom: number,
): Generator<SplitStep, RawImage, void> {
  const out: RawImage = { ...img, data: Buffer.from(img.data) };
  const bounds = maskBounds(mask);
  if (!bounds) return out;
  const r = options.patchRadius ?? 3;
  const extent = Math.max(bounds.width, bounds.height);
  const margin = options.searchMargin ?? Math.max(48, Math.min(extent, 64 + (extent >> 1)));
  const rect = searchRect(mask, bounds, margin);
  // A large hole's finest level goes straight to shared memory, where its steps are split.
  const large = maskArea(mask) >= shareFrom;
  const levels = buildPyramid(cropToLevel(img, mask, rect, large), r);
  const random = rng(options.seed ?? 0x5eed);
  const finest = levels[0]!;
  const pixelCount = finest.width * finest.height;
  const sigma = large
    ? new Float32Array(new SharedArrayBuffer(pixelCount * 4))
    : new Float32Array(pixelCount);
  const band = (firstRow: number, endRow: number): SigmaJob => ({
    kind: 'sigma',
    pixels: finest.pixels,
    width: finest.width,
    height: finest.height,
    channels: finest.channels,
    r,
    sigma,
    firstRow,
    endRow,
  });
  yield { jobs: [band(0, finest.height >> 1), band(finest.height >> 1, finest.height)], shared: large };
  const finePenalty = flatnessPenalty(finest, r, sigma);
  const penaltyAt = (l: number) =>
    l === 0 ? finePenalty : penaltyAtScale(finePenalty, finest.width, finest.height, levels[l]!, 2 ** l);
  if (levels.length === 1) {
    yield* solveCoarse(finest, r, random, shareFrom, finePenalty);
    pasteHole(out, finest, rect);
    return out;
  }
  let previous: LevelSolver | undefined;
  for (let l = levels.length - 1; l >= 1; l--) {
    previous = yield* solveCoarse(levels[l]!, r, random, shareFrom, penaltyAt(l), previous);
  }
  const shared = holePixels(finest) >= shareFrom;
  if (shared) {
    shareLevel(finest);
    shareLevel(previous!.level);
  }
  const solver = new LevelSolver(finest, r, random, { shared, penalty: finePenalty, guided: true });
  yield solver.guide(previous!.level);
  solver.initFrom(previous!);
  yield solver.search(FINE_SWEEPS, FINE_SEARCH_RADIUS, true);
  const { step, from } = solver.copyBest();
  yield step;
  yield poissonBlend(finest, from, BLEND_BAND, FINE_POISSON_ITERATIONS, shared);
  pasteHole(out, finest, rect);
  return out;
}

/**
 * Levels whose hole has at least this many pixels have their steps split over two threads;
 * below it, handing half to another thread costs more than it saves.
 */
export const PARALLEL_HOLE_PIXELS = 32_768;

/** Runs one half of a split step elsewhere (another thread, over the shared arrays). */
export type RemoteJob = (job: FillJob) => Promise<void>;

/**
 * patchMatchFill with the steps of large levels split between this thread and `remote`. The two
 * halves of a step never read what the other writes, so the bytes are the same as patchMatchFill's.
 */
export async function patchMatchFillSplit(
  img: RawImage,
  mask: RawMask,
  options: PatchMatchOptions,
  remote: RemoteJob,
): Promise<RawImage> {
  const steps = fillSteps(img, mask, options, PARALLEL_HOLE_PIXELS);
  for (let step = steps.next(); ; step = steps.next()) {
    if (step.done) return step.value;
    const { jobs, shared } = step.value;
    if (!shared) {
      for (const job of jobs) runFillJob(job);
      continue;
    }
    const elsewhere = remote(jobs[1]);
    // Settle the remote half even if this one throws, so no rejection is left unhandled.
    try {
      runFillJob(jobs[0]);
    } finally {
      await elsewhere;
    }
  }
}

/** Fills the masked pixels of `img` with texture copied from the rest of the image. */
export function patchMatchFill(img: RawImage, mask: RawMask, options: PatchMatchOptions = {}): RawImage {
  const steps = fillSteps(img, mask, options, Infinity);
  for (let step = steps.next(); ; step = steps.next()) {
    if (step.done) return step.value;
    for (const job of step.value.jobs) runFillJob(job);
  }
}
