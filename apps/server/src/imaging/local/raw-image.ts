import { validationFailed } from '../../errors.ts';

/** Interleaved 8-bit pixels, row-major, no padding between rows. */
export interface RawImage {
  data: Buffer;
  width: number;
  height: number;
  channels: 3 | 4;
}

/** A single-channel 8-bit mask: 255 = edit, 0 = keep. */
export interface RawMask {
  data: Uint8Array;
  width: number;
  height: number;
}

export const pixelCount = (img: { width: number; height: number }): number => img.width * img.height;

export function assertRawImage(img: RawImage): void {
  if (img.width < 1 || img.height < 1 || img.data.length !== img.width * img.height * img.channels) {
    throw validationFailed('Image buffer does not match its width, height and channels.', {
      width: img.width,
      height: img.height,
      channels: img.channels,
      bytes: img.data.length,
    });
  }
}
