import type { MaskOp } from './maskHistory.ts';
import { rasterise, toRgba } from './maskRaster.ts';

/** The mask the server takes: a PNG at the image's own pixel size, white where to edit, black elsewhere. */
export function maskPng(ops: readonly MaskOp[], width: number, height: number): Promise<Blob> {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  if (!ctx) {
    return Promise.reject(new Error('This browser cannot draw the mask.'));
  }
  const pixels = ctx.createImageData(width, height);
  toRgba(rasterise(ops, width, height), pixels.data, null);
  ctx.putImageData(pixels, 0, 0);
  return new Promise((resolve, reject) =>
    canvas.toBlob(
      (blob) => (blob ? resolve(blob) : reject(new Error('Could not encode the mask.'))),
      'image/png',
    ),
  );
}
