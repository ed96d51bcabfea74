/**
 * Mean over the (2r+1)² window around each pixel, clipped at the plane's edges (so edge pixels
 * average fewer samples, not zeros), by running sums: cost independent of r. `tmp` is w·h scratch.
 */
export function boxMean(
  src: Float32Array,
  w: number,
  h: number,
  r: number,
  out: Float32Array,
  tmp: Float32Array,
): void {
  for (let y = 0; y < h; y++) {
    const row = y * w;
    let s = 0;
    for (let x = 0; x <= Math.min(r, w - 1); x++) s += src[row + x]!;
    for (let x = 0; x < w; x++) {
      tmp[row + x] = s;
      if (x + r + 1 < w) s += src[row + x + r + 1]!;
      if (x - r >= 0) s -= src[row + x - r]!;
    }
  }
  const acc = new Float64Array(w);
  const countX = new Float64Array(w);
  for (let x = 0; x < w; x++) countX[x] = Math.min(x + r, w - 1) - Math.max(x - r, 0) + 1;
  for (let y = 0; y <= Math.min(r, h - 1); y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) acc[x]! += tmp[row + x]!;
  }
  for (let y = 0; y < h; y++) {
    const row = y * w;
    const countY = Math.min(y + r, h - 1) - Math.max(y - r, 0) + 1;
    for (let x = 0; x < w; x++) out[row + x] = acc[x]! / (countX[x]! * countY);
    if (y + r + 1 < h) {
      const add = (y + r + 1) * w;
      for (let x = 0; x < w; x++) acc[x]! += tmp[add + x]!;
    }
    if (y - r >= 0) {
      const sub = (y - r) * w;
      for (let x = 0; x < w; x++) acc[x]! -= tmp[sub + x]!;
    }
  }
}
