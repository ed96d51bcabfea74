import type { FloatLevel } from './float-image.ts';

const NEIGHBOURS = [
  [1, 0],
  [-1, 0],
  [0, 1],
  [0, -1],
] as const;

/**
 * Gradient-domain blending of an exemplar fill (Pérez et al., "Poisson Image Editing"): the hole
 * is re-solved so that its gradients follow those of the copied source texture while its values
 * meet the known pixels around it. This removes brightness steps where copies from different
 * places meet (a sky gradient, uneven light) without touching the texture itself. Solved by
 * conjugate gradients on the hole pixels only; `sources[p]` is where hole pixel p was copied from.
 */
export function poissonBlend(level: FloatLevel, sources: Int32Array, maxIterations: number): void {
  const { width: w, height: h, channels: c, pixels, hole } = level;
  const unknown = new Int32Array(w * h).fill(-1);
  const members: number[] = [];
  for (let p = 0; p < w * h; p++) {
    if (hole[p] && sources[p]! >= 0) {
      unknown[p] = members.length;
      members.push(p);
    }
  }
  const n = members.length;
  if (!n) return;
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
      let deg = 0;
      for (const [dx, dy] of NEIGHBOURS) {
        const qx = px + dx;
        const qy = py + dy;
        if (qx < 0 || qy < 0 || qx >= w || qy >= h) continue;
        const step = dy * w + dx;
        const q = p + step;
        deg++;
        // Source gradient across this edge; for two filled pixels, the mean of both sources' views.
        let guide = pixels[s * c + k]! - pixels[(s + step) * c + k]!;
        const sq = unknown[q]! >= 0 ? sources[q]! : -1;
        if (sq >= 0) guide = 0.5 * (guide + pixels[(sq - step) * c + k]! - pixels[sq * c + k]!);
        b[u]! += guide - (pixels[p * c + k]! - pixels[q * c + k]!);
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
