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
 */
export function poissonBlend(
  level: FloatLevel,
  sources: Int32Array,
  band: number,
  maxIterations: number,
): void {
  const { width: w, height: h, channels: c, pixels, hole } = level;
  const members = borderBand(level, sources, band);
  const n = members.length;
  if (!n) return;
  const unknown = new Int32Array(w * h).fill(-1);
  for (let u = 0; u < n; u++) unknown[members[u]!] = u;
  const degree = new Float32Array(n);
  const b = new Float32Array(n);
  const x = new Float32Array(n);
  const r = new Float32Array(n);
  const d = new Float32Array(n);
  const ad = new Float32Array(n);

  const multiply = (v: Float32Array, out: Float32Array): void => {
    for (let u = 0; u < n; u++) {
      const p = members[u]!;
      const px = p % w;
      const py = (p / w) | 0;
      let sum = degree[u]! * v[u]!;
      if (px + 1 < w && unknown[p + 1]! >= 0) sum -= v[unknown[p + 1]!]!;
      if (px > 0 && unknown[p - 1]! >= 0) sum -= v[unknown[p - 1]!]!;
      if (py + 1 < h && unknown[p + w]! >= 0) sum -= v[unknown[p + w]!]!;
      if (py > 0 && unknown[p - w]! >= 0) sum -= v[unknown[p - w]!]!;
      out[u] = sum;
    }
  };
  const dot = (a: Float32Array, bb: Float32Array): number => {
    let s = 0;
    for (let u = 0; u < n; u++) s += a[u]! * bb[u]!;
    return s;
  };

  for (let k = 0; k < c; k++) {
    b.fill(0);
    for (let u = 0; u < n; u++) {
      const p = members[u]!;
      const s = sources[p]!;
      const px = p % w;
      const py = (p / w) | 0;
      const sx = s % w;
      const sy = (s / w) | 0;
      let deg = 0;
      for (const [dx, dy] of NEIGHBOURS) {
        const qx = px + dx;
        const qy = py + dy;
        if (qx < 0 || qy < 0 || qx >= w || qy >= h) continue;
        deg++;
        const q = qy * w + qx;
        // Hole neighbours keep the copy's own difference (no change asked); known neighbours ask
        // for the source's difference across the same edge, where the source has that neighbour.
        if (hole[q]) continue;
        if (sx + dx < 0 || sy + dy < 0 || sx + dx >= w || sy + dy >= h) continue;
        const step = dy * w + dx;
        b[u]! += pixels[s * c + k]! - pixels[(s + step) * c + k]! - (pixels[p * c + k]! - pixels[q * c + k]!);
      }
      degree[u] = deg;
    }
    // Solve A·x = b for the correction x, starting from 0 (the copied texture itself).
    x.fill(0);
    r.set(b);
    d.set(b);
    let rr = dot(r, r);
    const tolerance = 1e-6 * Math.max(1, rr);
    for (let it = 0; it < maxIterations && rr > tolerance; it++) {
      multiply(d, ad);
      const alpha = rr / dot(d, ad);
      for (let u = 0; u < n; u++) {
        x[u]! += alpha * d[u]!;
        r[u]! -= alpha * ad[u]!;
      }
      const next = dot(r, r);
      const beta = next / rr;
      rr = next;
      for (let u = 0; u < n; u++) d[u] = r[u]! + beta * d[u]!;
    }
    for (let u = 0; u < n; u++) pixels[members[u]! * c + k]! += x[u]!;
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
