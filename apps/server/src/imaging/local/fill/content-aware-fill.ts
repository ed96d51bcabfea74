import { distanceTransform, fitMask, growMask, thresholdMask } from '../mask.ts';
import { assertRawImage, type RawImage, type RawMask } from '../raw-image.ts';
import { maskComponents } from './components.ts';
import { NoSourceTextureError } from './patch-match.ts';
import { patchMatchFillOffThread } from './patch-match-thread.ts';
import { teleaInpaint } from './telea.ts';

/**
 * Holes at most this many pixels from their nearest known pixel (strokes up to ~8 px wide) or
 * this small are diffused with Telea, which is exact enough there and fast; anything thicker gets
 * the exemplar fill, because Telea smears texture across it.
 */
export const THIN_HOLE_RADIUS = 4;
export const SMALL_HOLE_AREA = 48;

export interface FillPlan {
  telea: RawMask | undefined;
  patchMatch: RawMask | undefined;
}

/** Splits a binary mask into the components Telea should handle and those PatchMatch should. */
export function planFill(mask: RawMask): FillPlan {
  const { width, height } = mask;
  const depth = distanceTransform(width, height, (i) => !mask.data[i]);
  const telea = new Uint8Array(width * height);
  const patch = new Uint8Array(width * height);
  let anyTelea = false;
  let anyPatch = false;
  for (const component of maskComponents(mask)) {
    let thickness = 0;
    for (const i of component) thickness = Math.max(thickness, depth[i]!);
    const thin = thickness <= THIN_HOLE_RADIUS || component.length <= SMALL_HOLE_AREA;
    const target = thin ? telea : patch;
    for (const i of component) target[i] = 255;
    if (thin) anyTelea = true;
    else anyPatch = true;
  }
  return {
    telea: anyTelea ? { width, height, data: telea } : undefined,
    patchMatch: anyPatch ? { width, height, data: patch } : undefined,
  };
}

/**
 * Content-aware fill of the masked pixels (mask: any size and channel count, white = fill).
 * Thin or tiny areas go to OpenCV Telea, larger ones to the PatchMatch exemplar fill. Pixels
 * outside the mask are returned byte-identical.
 */
export async function contentAwareFill(
  image: RawImage,
  mask: RawImage | RawMask,
  signal?: AbortSignal,
): Promise<RawImage> {
  assertRawImage(image);
  const binary = thresholdMask(await fitMask(mask, image.width, image.height));
  const plan = planFill(binary);
  let out: RawImage = { ...image, data: Buffer.from(image.data) };
  if (plan.telea) out = await teleaInpaint(out, plan.telea);
  if (plan.patchMatch) {
    try {
      out = await patchMatchFillOffThread(out, plan.patchMatch, {}, signal);
    } catch (e) {
      // A hole that leaves no intact patch anywhere near it can only be diffused.
      if (!(e instanceof NoSourceTextureError)) throw e;
      out = await teleaInpaint(out, plan.patchMatch);
    }
  }
  return out;
}

export interface EraseOptions {
  /**
   * Pixels to grow the mask by before filling, so that an object's anti-aliased rim and soft
   * shadow edge go with it; selection masks usually hug the object.
   */
  grow?: number;
  /** Stops the fill (a canceled job). */
  signal?: AbortSignal;
}

/** Removes the masked object and fills its place from the surroundings. */
export async function erase(
  image: RawImage,
  mask: RawImage | RawMask,
  options: EraseOptions = {},
): Promise<RawImage> {
  const binary = thresholdMask(await fitMask(mask, image.width, image.height));
  return contentAwareFill(image, growMask(binary, options.grow ?? 2), options.signal);
}
