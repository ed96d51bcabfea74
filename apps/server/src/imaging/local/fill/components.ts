import type { RawMask } from '../raw-image.ts';

/** 8-connected components of the set mask pixels, as lists of pixel indices. */
export function maskComponents(mask: RawMask): Int32Array[] {
  const { width: w, height: h, data } = mask;
  const seen = new Uint8Array(w * h);
  const components: Int32Array[] = [];
  const stack = new Int32Array(w * h);
  for (let start = 0; start < w * h; start++) {
    if (!data[start] || seen[start]) continue;
    const members: number[] = [];
    let top = 0;
    stack[top++] = start;
    seen[start] = 1;
    while (top) {
      const i = stack[--top]!;
      members.push(i);
      const x = i % w;
      const y = (i / w) | 0;
      for (let dy = -1; dy <= 1; dy++) {
        const ny = y + dy;
        if (ny < 0 || ny >= h) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          if (nx < 0 || nx >= w) continue;
          const j = ny * w + nx;
          if (data[j] && !seen[j]) {
            seen[j] = 1;
            stack[top++] = j;
          }
        }
      }
    }
    components.push(Int32Array.from(members));
  }
  return components;
}
