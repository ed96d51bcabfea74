/** Interleaved 8-bit pixels: `data` holds `width` × `height` × `channels` bytes, row by row. */
export interface Pixels {
  data: Buffer;
  width: number;
  height: number;
}

/**
 * Where an upright pixel (x, y) lies in the stored image, per EXIF orientation: the stored image is
 * mirrored and/or turned so that it shows upright (5–8 swap width and height).
 */
const SOURCE_OF: Record<number, (x: number, y: number, w: number, h: number) => [number, number]> = {
  2: (x, y, w) => [w - 1 - x, y],
  3: (x, y, w, h) => [w - 1 - x, h - 1 - y],
  4: (x, y, _w, h) => [x, h - 1 - y],
  5: (x, y) => [y, x],
  6: (x, y, _w, h) => [y, h - 1 - x],
  7: (x, y, w, h) => [w - 1 - y, h - 1 - x],
  8: (x, y, w) => [w - 1 - y, x],
};

/** Stored pixels turned upright by their EXIF `orientation` (1–8), as libvips' autoOrient shows them. */
export function orientPixels(stored: Pixels, orientation: number, channels: number): Pixels {
  const source = SOURCE_OF[orientation];
  if (!source) return stored;
  const { width: w, height: h } = stored;
  const swap = orientation >= 5;
  const out = { data: Buffer.alloc(stored.data.length), width: swap ? h : w, height: swap ? w : h };
  const index = (x: number, y: number) => {
    const [sx, sy] = source(x, y, w, h);
    return (sy * w + sx) * channels;
  };
  let o = 0;
  for (let y = 0; y < out.height; y++) {
    // Along an upright row the stored pixels lie a fixed step apart (±1 pixel or ±1 row).
    const start = index(0, y);
    const step = out.width > 1 ? index(1, y) - start : 0;
    for (let x = 0, i = start; x < out.width; x++, i += step) {
      for (let c = 0; c < channels; c++) out.data[o++] = stored.data[i + c] ?? 0;
    }
  }
  return out;
}
