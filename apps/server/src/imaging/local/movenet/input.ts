import { MOVENET_SIZE } from './decode.ts';

/** RGB(A) pixels to look at, row-major, 8 bits per channel. */
export interface MovenetPixels {
  data: Uint8Array;
  width: number;
  height: number;
  channels: 3 | 4;
}

/** Rows added above and below, columns left and right: Human pads the short side toward a square. */
export interface MovenetPadding {
  y: number;
  x: number;
}

/** Human's padding: half the sides' difference, truncated, on each side of the short one. */
export const movenetPadding = (width: number, height: number): MovenetPadding => ({
  y: width > height ? Math.trunc((width - height) / 2) : 0,
  x: height > width ? Math.trunc((height - width) / 2) : 0,
});

const f = Math.fround;

/**
 * The model's input as Human makes it: the image padded with black (`movenetPadding`), stretched
 * to 192² by tfjs' bilinear resize (corners not aligned, no half-pixel centres, float32) and cast
 * to int32 (truncated). Answered NHWC, the integers as float32.
 */
export function movenetInput({ data, width, height, channels }: MovenetPixels): Float32Array {
  const pad = movenetPadding(width, height);
  const paddedHeight = height + 2 * pad.y;
  const paddedWidth = width + 2 * pad.x;
  const scaleY = f(paddedHeight / MOVENET_SIZE);
  const scaleX = f(paddedWidth / MOVENET_SIZE);
  const value = (y: number, x: number, c: number): number => {
    const sy = y - pad.y;
    const sx = x - pad.x;
    if (sy < 0 || sy >= height || sx < 0 || sx >= width) return 0;
    return data[(sy * width + sx) * channels + c]!;
  };
  const out = new Float32Array(MOVENET_SIZE * MOVENET_SIZE * 3);
  for (let r = 0; r < MOVENET_SIZE; r++) {
    const y = f(scaleY * r);
    const top = Math.floor(y);
    const bottom = Math.min(paddedHeight - 1, Math.ceil(y));
    const dy = f(y - top);
    for (let col = 0; col < MOVENET_SIZE; col++) {
      const x = f(scaleX * col);
      const left = Math.floor(x);
      const right = Math.min(paddedWidth - 1, Math.ceil(x));
      const dx = f(x - left);
      for (let c = 0; c < 3; c++) {
        const topLeft = value(top, left, c);
        const topRight = value(top, right, c);
        const bottomLeft = value(bottom, left, c);
        const bottomRight = value(bottom, right, c);
        const upper = f(topLeft + f(f(topRight - topLeft) * dx));
        const lower = f(bottomLeft + f(f(bottomRight - bottomLeft) * dx));
        out[(r * MOVENET_SIZE + col) * 3 + c] = Math.trunc(f(upper + f(f(lower - upper) * dy)));
      }
    }
  }
  return out;
}
