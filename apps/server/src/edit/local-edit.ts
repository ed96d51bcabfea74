import { AppError } from '../errors.ts';
import type { Size } from '../imaging/geometry.ts';
import { removeBackground } from '../imaging/local/background-removal.ts';
import { erase } from '../imaging/local/fill/content-aware-fill.ts';
import { type OutpaintExtent, outpaint } from '../imaging/local/fill/outpaint.ts';
import { featherMask, growMask } from '../imaging/local/mask.ts';
import type { RawImage, RawMask } from '../imaging/local/raw-image.ts';
import { recolor } from '../imaging/local/recolor.ts';
import { nextTurn, SLICE_PIXELS } from '../util/slices.ts';

export interface MaskOptions {
  grow?: number;
  feather?: number;
}

export interface FillOptions extends MaskOptions {
  /** Stops the fill (a canceled job). */
  signal?: AbortSignal;
}

/** A normalised mask (imaging/local/mask.ts `normaliseMask`), grown and feathered as asked. */
export async function prepareMask(mask: RawMask, options: MaskOptions): Promise<RawMask> {
  let m = mask;
  if (options.grow) m = await growMask(m, options.grow);
  if (options.feather) m = await featherMask(m, options.feather);
  return m;
}

/** `edited` where the soft mask is white, `original` where it is black, blended in between. */
async function blend(original: RawImage, edited: RawImage, mask: RawMask): Promise<RawImage> {
  const c = original.channels;
  const out = Buffer.from(original.data);
  for (let i = 0; i < mask.data.length; i++) {
    if (i % SLICE_PIXELS === SLICE_PIXELS - 1) await nextTurn();
    const w = mask.data[i]! / 255;
    if (!w) continue;
    for (let k = 0; k < c; k++) {
      const p = i * c + k;
      out[p] = Math.round(original.data[p]! * (1 - w) + edited.data[p]! * w);
    }
  }
  return { ...original, data: out };
}

/** Erase / prompt-less inpaint: content-aware fill of the (grown) mask, feathered back into the image. */
export async function localFill(image: RawImage, binary: RawMask, options: FillOptions): Promise<RawImage> {
  const filled = await erase(image, binary, {
    grow: options.grow ?? 2,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (!options.feather) return filled;
  const soft = await featherMask(await growMask(binary, options.grow ?? 2), options.feather);
  return blend(image, filled, soft);
}

/** The canvas an outpaint of `source` by `extent` makes. */
export const outpaintCanvas = (source: Size, extent: OutpaintExtent): Size => ({
  width: source.width + (extent.left ?? 0) + (extent.right ?? 0),
  height: source.height + (extent.up ?? 0) + (extent.down ?? 0),
});

/**
 * Outpaint's fill and seam blend grow with the canvas, and a few hundred pixels of extent on a large
 * image is a canvas many times the input; past `maxPixels` the request is refused before any work.
 */
export function assertOutpaintCanvas(source: Size, extent: OutpaintExtent, maxPixels: number): void {
  const { width, height } = outpaintCanvas(source, extent);
  if (width * height <= maxPixels) return;
  const mp = (n: number) => (n / 1e6).toFixed(1);
  throw new AppError(
    422,
    'canvas_too_large',
    `Outpainting would make a ${width}×${height} canvas (${mp(width * height)} MP); the limit is ${mp(maxPixels)} MP. ` +
      'Extend by less, or start from a smaller image.',
    { width, height, max_pixels: maxPixels },
  );
}

export const localOutpaint = (image: RawImage, extent: OutpaintExtent, signal?: AbortSignal) =>
  outpaint(image, extent, signal);

export async function localRecolor(
  image: RawImage,
  mask: RawMask,
  color: string,
  options: MaskOptions,
): Promise<RawImage> {
  return recolor(image, await prepareMask(mask, options), color);
}

export const localCutout = (image: RawImage): Promise<RawImage> => removeBackground(image);
