import ort from 'onnxruntime-node';

/** RGB(A) pixels to look at, row-major, 8 bits per channel. */
export interface RgbPixels {
  data: Uint8Array;
  width: number;
  height: number;
  channels: 3 | 4;
}

/**
 * [1, h, w, 3] float 0..255, the values Human casts its int32 input tensor to; the detector graphs
 * scale and stretch it themselves. RGB converts in one typed-array copy, RGBA drops its alpha.
 */
export function rgbFloatTensor({ data, width, height, channels }: RgbPixels): ort.Tensor {
  if (channels === 3) return new ort.Tensor('float32', Float32Array.from(data), [1, height, width, 3]);
  const rgb = new Float32Array(width * height * 3);
  for (let i = 0, j = 0; i < rgb.length; i += 3, j += channels) {
    rgb[i] = data[j]!;
    rgb[i + 1] = data[j + 1]!;
    rgb[i + 2] = data[j + 2]!;
  }
  return new ort.Tensor('float32', rgb, [1, height, width, 3]);
}
