import { nextTurn, SLICE_PIXELS } from '../../../util/slices.ts';
import type { RawMask } from '../raw-image.ts';

/**
 * 8-connected components of the set mask pixels, as lists of pixel indices (views into one
 * buffer, so a component of millions of pixels is never copied). A large mask takes seconds, so
 * the event loop is let in every SLICE_PIXELS pixels visited.
 */
export async function maskComponents(mask: RawMask): Promise<Int32Array[]> {
  const { width: w, height: h, data } = mask;
  const seen = new Uint8Array(w * h);
  const components: Int32Array[] = [];
  const stack = new Int32Array(w * h);
  const order = new Int32Array(w * h);
  let placed = 0;
  for (let start = 0; start < w * h; start++) {
    if (start % SLICE_PIXELS === SLICE_PIXELS - 1) await nextTurn();
    if (!data[start] || seen[start]) continue;
    const first = placed;
    let top = 0;
    stack[top++] = start;
    seen[start] = 1;
    while (top) {
      const i = stack[--top]!;
      order[placed++] = i;
      if (placed % SLICE_PIXELS === 0) await nextTurn();
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
    components.push(order.subarray(first, placed));
  }
  return components;
}
