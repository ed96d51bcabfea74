import type { FloatLevel } from './float-image.ts';

const NEIGHBOURS = [
  [1, 0],
  [-1, 0],
  [0, 1],
  [0, -1],
] as const;

/**
 * Gradient-domain blending of an exemplar fill at the hole's border only (Pérez et al., "Poisson
 * Image Editing", with the copied texture as its own guide inside): across the border the filled
 * pixels should differ from the known ones as their source pixels differ from theirs; inside,
 * the copied texture is kept as it is. The correction that achieves this is smooth (a membrane
 * with zero Laplacian inside), so it removes brightness steps where the copy meets the known
 * pixels (uneven light, a sky gradient) without blurring the texture; it is solved for the hole
 * pixels within `band` pixels of the border and fades to zero beyond, which keeps large holes
 * cheap. Conjugate gradients; `sources[p]` is where hole pixel p was copied from (-1: not).
 * Returned as a step (the channels split in two) for the caller to run; `shared`: the level and
 * `sources` are in shared memory, and so will the step's arrays be.
 */
export function poissonBlend(
  level: FloatLevel,
  sources: Int32Array,
  band: number,
  maxIterations: number,
  shared = false,
): { jobs: [BlendJob, BlendJob]; shared: boolean } {
  const { width: w, height: h, channels: c } = level;
  const members = borderBand(level, sources, band);
  const n = members.length;
  const array = <T extends Int32Array | Float64Array>(
    make: new (b: ArrayBufferLike) => T,
    bytes: number,
  ): T => new make(shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
  // Per member, its 4 neighbours' places among the unknowns; a neighbour that is not one points at
  // slot n, which always holds 0, so the product below needs no branches.
  const place = new Map<number, number>();
  for (let u = 0; u < n; u++) place.set(members[u]!, u);
  const neighbours = array(Int32Array, 16 * n).fill(n);
  const degree = array(Float64Array, 8 * n);
  for (let u = 0; u < n; u++) {
    const p = members[u]!;
    const px = p % w;
    const py = (p / w) | 0;
    for (let j = 0; j < 4; j++) {
      const [dx, dy] = NEIGHBOURS[j]!;
      if (px + dx < 0 || py + dy < 0 || px + dx >= w || py + dy >= h) continue;
      degree[u]!++;
      neighbours[4 * u + j] = place.get(p + dy * w + dx) ?? n;
    }
  }
  const shareMembers = array(Int32Array, 4 * n);
  shareMembers.set(members);
  const job = (firstChannel: number, endChannel: number): BlendJob => ({
    kind: 'blend',
    level,
    sources,
    members: shareMembers,
    neighbours,
    degree,
    maxIterations,
    firstChannel,
    endChannel,
  });
  // The channels are independent systems: one thread solves the first half of them, the other the rest.
  const half = (c + 1) >> 1;
  return { jobs: [job(0, half), job(half, c)], shared };
}

/**
 * The border blend's systems for channels [firstChannel, endChannel): each channel reads and
 * writes its own values only, so two jobs over different channels can run at once.
 */
export interface BlendJob {
  kind: 'blend';
  level: FloatLevel;
  sources: Int32Array;
  members: Int32Array;
  neighbours: Int32Array;
  degree: Float64Array;
  maxIterations: number;
  firstChannel: number;
  endChannel: number;
}

export function blendChannels(job: BlendJob): void {
  const { level, sources, members, neighbours, degree, maxIterations } = job;
  const { channels: c, pixels } = level;
  const n = members.length;
  if (!n) return;
  const b = new Float64Array(n);
  const x = new Float64Array(n);
  const r = new Float64Array(n);
  const d = new Float64Array(n + 1);
  const ad = new Float64Array(n);

  for (let k = job.firstChannel; k < job.endChannel; k++) {
    guidance(level, members, sources, k, b);
    // Solve A·x = b for the correction x, starting from 0 (the copied texture itself).
    x.fill(0);
    r.set(b);
    d.set(b);
    let rr = dot(r, r, n);
    const tolerance = 1e-6 * Math.max(1, rr);
    for (let it = 0; it < maxIterations && rr > tolerance; it++) {
      let dAd = 0;
      for (let u = 0; u < n; u++) {
        const i = 4 * u;
        const v =
          degree[u]! * d[u]! -
          d[neighbours[i]!]! -
          d[neighbours[i + 1]!]! -
          d[neighbours[i + 2]!]! -
          d[neighbours[i + 3]!]!;
        ad[u] = v;
        dAd += d[u]! * v;
      }
      const alpha = rr / dAd;
      let next = 0;
      for (let u = 0; u < n; u++) {
        x[u]! += alpha * d[u]!;
        const ru = r[u]! - alpha * ad[u]!;
        r[u] = ru;
        next += ru * ru;
      }
      const beta = next / rr;
      rr = next;
      for (let u = 0; u < n; u++) d[u] = r[u]! + beta * d[u]!;
    }
    for (let u = 0; u < n; u++) pixels[members[u]! * c + k]! += x[u]!;
  }
}

function dot(a: Float64Array, b: Float64Array, n: number): number {
  let s = 0;
  for (let u = 0; u < n; u++) s += a[u]! * b[u]!;
  return s;
}

/**
 * The right-hand side for channel k: hole neighbours keep the copy's own difference (no change
 * asked); known neighbours ask for the source's difference across the same edge, where the
 * source has that neighbour.
 */
function guidance(
  level: FloatLevel,
  members: Int32Array,
  sources: Int32Array,
  k: number,
  b: Float64Array,
): void {
  const { width: w, height: h, channels: c, pixels, hole } = level;
  for (let u = 0; u < members.length; u++) {
    const p = members[u]!;
    const s = sources[p]!;
    const px = p % w;
    const py = (p / w) | 0;
    const sx = s % w;
    const sy = (s / w) | 0;
    let sum = 0;
    for (const [dx, dy] of NEIGHBOURS) {
      const qx = px + dx;
      const qy = py + dy;
      if (qx < 0 || qy < 0 || qx >= w || qy >= h) continue;
      const q = qy * w + qx;
      if (hole[q]) continue;
      if (sx + dx < 0 || sy + dy < 0 || sx + dx >= w || sy + dy >= h) continue;
      const step = dy * w + dx;
      sum += pixels[s * c + k]! - pixels[(s + step) * c + k]! - (pixels[p * c + k]! - pixels[q * c + k]!);
    }
    b[u] = sum;
  }
}

/** Copied hole pixels at most `band` steps (4-neighbour) from a known pixel, found layer by layer. */
function borderBand(level: FloatLevel, sources: Int32Array, band: number): Int32Array {
  const { width: w, height: h, hole } = level;
  const seen = new Uint8Array(w * h);
  let layer: number[] = [];
  for (let p = 0; p < w * h; p++) {
    if (!hole[p]) continue;
    const x = p % w;
    const y = (p / w) | 0;
    const rim =
      (x > 0 && !hole[p - 1]) ||
      (x + 1 < w && !hole[p + 1]) ||
      (y > 0 && !hole[p - w]) ||
      (y + 1 < h && !hole[p + w]);
    if (rim) {
      seen[p] = 1;
      layer.push(p);
    }
  }
  const members: number[] = [];
  for (let depth = 1; depth <= band && layer.length; depth++) {
    const next: number[] = [];
    for (const p of layer) {
      if (sources[p]! >= 0) members.push(p);
      const x = p % w;
      const y = (p / w) | 0;
      for (const [dx, dy] of NEIGHBOURS) {
        const qx = x + dx;
        const qy = y + dy;
        if (qx < 0 || qy < 0 || qx >= w || qy >= h) continue;
        const q = qy * w + qx;
        if (hole[q] && !seen[q]) {
          seen[q] = 1;
          next.push(q);
        }
      }
    }
    layer = next;
  }
  return Int32Array.from(members);
}
