const HEADER_BYTES = 54;
const rowBytesOf = (width: number) => Math.ceil((width * 3) / 4) * 4;

/** The size of the BMP `encodeBmp` writes, known from the pixel count before any pixel is decoded. */
export const bmpFileSize = (width: number, height: number) => HEADER_BYTES + rowBytesOf(width) * height;

/** 24-bit bottom-up BMP from RGB pixels: libvips has no BMP writer, and the seed offered BMP output. */
export function encodeBmp(rgb: Buffer, width: number, height: number): Buffer {
  const rowBytes = rowBytesOf(width);
  const pixelBytes = rowBytes * height;
  const out = Buffer.alloc(HEADER_BYTES + pixelBytes);
  out.write('BM', 0, 'latin1');
  out.writeUInt32LE(HEADER_BYTES + pixelBytes, 2);
  out.writeUInt32LE(HEADER_BYTES, 10);
  out.writeUInt32LE(40, 14);
  out.writeInt32LE(width, 18);
  out.writeInt32LE(height, 22);
  out.writeUInt16LE(1, 26);
  out.writeUInt16LE(24, 28);
  out.writeUInt32LE(pixelBytes, 34);
  out.writeInt32LE(2835, 38); // 72 dpi
  out.writeInt32LE(2835, 42);
  for (let y = 0; y < height; y++) {
    const dst = HEADER_BYTES + (height - 1 - y) * rowBytes;
    for (let x = 0; x < width; x++) {
      const s = (y * width + x) * 3;
      out[dst + x * 3] = rgb[s + 2]!;
      out[dst + x * 3 + 1] = rgb[s + 1]!;
      out[dst + x * 3 + 2] = rgb[s]!;
    }
  }
  return out;
}
