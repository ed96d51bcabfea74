import sharp from 'sharp';
import { validationFailed } from '../../../errors.ts';
import { nextTurn, SLICE_PIXELS } from '../../../util/slices.ts';
import { assertRawImage, type RawImage } from '../raw-image.ts';
import { NoSourceTextureError } from './patch-match.ts';
import { patchMatchFillOffThread } from './patch-match-thread.ts';
import { teleaInpaint } from './telea.ts';

export interface OutpaintExtent {
  left?: number;
  right?: number;
  up?: number;
  down?: number;
}

/** Width of the band next to the original where the generated side is colour-matched to it. */
const SEAM_BAND = 24;
const SEAM_SIGMA = 6;

/**
 * Extends the canvas by the given pixels on each side and fills the new area with the same
 * exemplar fill as erase, then blends the seam: the low-frequency colour difference between the
 * original's edge and the generated side is faded out over a band on the generated side only, so
 * texture is kept and the original pixels stay byte-identical.
 */
export async function outpaint(
  image: RawImage,
  extent: OutpaintExtent,
  signal?: AbortSignal,
): Promise<RawImage> {
  assertRawImage(image);
  const left = extent.left ?? 0;
  const right = extent.right ?? 0;
  const up = extent.up ?? 0;
  const down = extent.down ?? 0;
  if ([left, right, up, down].some((v) => !Number.isInteger(v) || v < 0)) {
    throw validationFailed('Outpaint extents must be non-negative whole pixels.', extent);
  }
  const width = image.width + left + right;
  const height = image.height + up + down;
  const c = image.channels;
  if (width === image.width && height === image.height) return { ...image, data: Buffer.from(image.data) };

  const canvas = Buffer.alloc(width * height * c);
  const mask = new Uint8Array(width * height).fill(255);
  for (let y = 0; y < image.height; y++) {
    image.data.copy(canvas, ((y + up) * width + left) * c, y * image.width * c, (y + 1) * image.width * c);
    mask.fill(0, (y + up) * width + left, (y + up) * width + left + image.width);
  }
  const hole = { width, height, data: mask };
  let filled: RawImage;
  try {
    filled = await patchMatchFillOffThread({ data: canvas, width, height, channels: c }, hole, {}, signal);
  } catch (e) {
    if (!(e instanceof NoSourceTextureError)) throw e;
    filled = await teleaInpaint({ data: canvas, width, height, channels: c }, hole);
  }

  const raw = { raw: { width, height, channels: c } } as const;
  const [edgeMean, fillMean] = await Promise.all([
    sharp(image.data, { raw: { width: image.width, height: image.height, channels: c } })
      .extend({ left, right, top: up, bottom: down, extendWith: 'copy' })
      .blur(SEAM_SIGMA)
      .raw()
      .toBuffer(),
    sharp(filled.data, raw).blur(SEAM_SIGMA).raw().toBuffer(),
  ]);
  const out = filled.data;
  const x1 = left + image.width - 1;
  const y1 = up + image.height - 1;
  const rowsPerSlice = Math.max(1, Math.floor(SLICE_PIXELS / width));
  for (let y = 0; y < height; y++) {
    if (y % rowsPerSlice === rowsPerSlice - 1) await nextTurn();
    for (let x = 0; x < width; x++) {
      if (!mask[y * width + x]) continue;
      const dx = x < left ? left - x : x > x1 ? x - x1 : 0;
      const dy = y < up ? up - y : y > y1 ? y - y1 : 0;
      const falloff = 1 - Math.hypot(dx, dy) / SEAM_BAND;
      if (falloff <= 0) continue;
      const i = (y * width + x) * c;
      for (let k = 0; k < c; k++) {
        const v = out[i + k]! + falloff * (edgeMean[i + k]! - fillMean[i + k]!);
        out[i + k] = v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
      }
    }
  }
  return { data: out, width, height, channels: c };
}
