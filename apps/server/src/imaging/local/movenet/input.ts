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

/** One axis of the resize: for each output index, the two padded-image source indices (−1 on the padding) and the weight. */
interface AxisTaps {
  near: Int32Array;
  far: Int32Array;
  weight: Float32Array;
}

/** tfjs' bilinear taps along one axis of the padded image: position index × (padded / 192) in float32. */
function axisTaps(padded: number, pad: number, size: number): AxisTaps {
  const scale = f(padded / MOVENET_SIZE);
  const taps: AxisTaps = {
    near: new Int32Array(MOVENET_SIZE),
    far: new Int32Array(MOVENET_SIZE),
    weight: new Float32Array(MOVENET_SIZE),
  };
  const source = (i: number) => (i - pad >= 0 && i - pad < size ? i - pad : -1);
  for (let i = 0; i < MOVENET_SIZE; i++) {
    const at = f(scale * i);
    const near = Math.floor(at);
    taps.near[i] = source(near);
    taps.far[i] = source(Math.min(padded - 1, Math.ceil(at)));
    taps.weight[i] = f(at - near);
  }
  return taps;
}

/**
 * The model's input as Human makes it: the image padded with black (`movenetPadding`), stretched
 * to 192² by tfjs' bilinear resize (corners not aligned, no half-pixel centres, float32) and cast
 * to int32 (truncated). Answered NHWC, the integers as float32.
 */
export function movenetInput({ data, width, height, channels }: MovenetPixels): Float32Array {
  const pad = movenetPadding(width, height);
  const rows = axisTaps(height + 2 * pad.y, pad.y, height);
  const columns = axisTaps(width + 2 * pad.x, pad.x, width);
  const value = (row: number, column: number, c: number): number =>
    row < 0 || column < 0 ? 0 : data[(row * width + column) * channels + c]!;
  const out = new Float32Array(MOVENET_SIZE * MOVENET_SIZE * 3);
  for (let r = 0; r < MOVENET_SIZE; r++) {
    const top = rows.near[r]!;
    const bottom = rows.far[r]!;
    const dy = rows.weight[r]!;
    for (let col = 0; col < MOVENET_SIZE; col++) {
      const left = columns.near[col]!;
      const right = columns.far[col]!;
      const dx = columns.weight[col]!;
      const o = (r * MOVENET_SIZE + col) * 3;
      for (let c = 0; c < 3; c++) {
        const topLeft = value(top, left, c);
        const topRight = value(top, right, c);
        const bottomLeft = value(bottom, left, c);
        const bottomRight = value(bottom, right, c);
        const upper = f(topLeft + f(f(topRight - topLeft) * dx));
        const lower = f(bottomLeft + f(f(bottomRight - bottomLeft) * dx));
        out[o + c] = Math.trunc(f(upper + f(f(lower - upper) * dy)));
      }
    }
  }
  return out;
}
