import type { RawImage, RawMask } from '../raw-image.ts';

/** A working copy of (part of) an image as floats, with its hole (1 = unknown) at the same size. */
export interface FloatLevel {
  width: number;
  height: number;
  channels: number;
  pixels: Float32Array;
  hole: Uint8Array;
}

/** Moves the level's arrays to shared memory, so another thread can work on them in place. */
export function shareLevel(level: FloatLevel): void {
  if (level.pixels.buffer instanceof SharedArrayBuffer && level.hole.buffer instanceof SharedArrayBuffer)
    return;
  const pixels = new Float32Array(new SharedArrayBuffer(level.pixels.byteLength));
  pixels.set(level.pixels);
  const hole = new Uint8Array(new SharedArrayBuffer(level.hole.byteLength));
  hole.set(level.hole);
  level.pixels = pixels;
  level.hole = hole;
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Bounding box of the set mask pixels, or undefined when the mask is empty. */
export function maskBounds(mask: RawMask): Rect | undefined {
  let x0 = mask.width;
  let y0 = mask.height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < mask.height; y++) {
    for (let x = 0; x < mask.width; x++) {
      if (!mask.data[y * mask.width + x]) continue;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
  }
  return x1 < 0 ? undefined : { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
}

/** The rectangle of `img` as a level; in shared memory when asked (see shareLevel). */
export function cropToLevel(img: RawImage, mask: RawMask, r: Rect, shared = false): FloatLevel {
  const c = img.channels;
  const buffer = (bytes: number) => (shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
  const pixels = new Float32Array(buffer(r.width * r.height * c * 4));
  const hole = new Uint8Array(buffer(r.width * r.height));
  for (let y = 0; y < r.height; y++) {
    const srcRow = (r.y + y) * img.width + r.x;
    const row = y * r.width;
    for (let x = 0; x < r.width; x++) hole[row + x] = mask.data[srcRow + x] ? 1 : 0;
    pixels.set(img.data.subarray(srcRow * c, (srcRow + r.width) * c), row * c);
  }
  return { width: r.width, height: r.height, channels: c, pixels, hole };
}

/** Writes the level's hole pixels back into `out` at the rectangle; known pixels stay untouched. */
export function pasteHole(out: RawImage, level: FloatLevel, r: Rect): void {
  const c = level.channels;
  for (let y = 0; y < r.height; y++) {
    for (let x = 0; x < r.width; x++) {
      const i = y * r.width + x;
      if (!level.hole[i]) continue;
      const o = ((r.y + y) * out.width + r.x + x) * c;
      for (let k = 0; k < c; k++) {
        const v = level.pixels[i * c + k]!;
        out.data[o + k] = v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
      }
    }
  }
}
