import { nextTurn, SLICE_PIXELS } from '../../../util/slices.ts';
import { distanceTransformInSlices, fitMask, growMask, thresholdMask } from '../mask.ts';
import { assertRawImage, type RawImage, type RawMask } from '../raw-image.ts';
import { maskComponents } from './components.ts';
import { maskBounds } from './float-image.ts';
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

/**
 * Per mask pixel, its distance to the nearest unmasked pixel. Worked out over the mask's bounding
 * box grown by a pixel only (a sixth of a 4 MP image for a 10% disc): everything outside the box
 * is unmasked, and that ring is too, so the nearest unmasked pixel is always found inside it.
 */
async function holeDepth(mask: RawMask): Promise<(i: number) => number> {
  const bounds = maskBounds(mask);
  if (!bounds) return () => 0;
  const x0 = Math.max(0, bounds.x - 1);
  const y0 = Math.max(0, bounds.y - 1);
  const w = Math.min(mask.width, bounds.x + bounds.width + 1) - x0;
  const h = Math.min(mask.height, bounds.y + bounds.height + 1) - y0;
  const at = (i: number) => (((i / w) | 0) + y0) * mask.width + (i % w) + x0;
  const depth = await distanceTransformInSlices(w, h, (i) => !mask.data[at(i)]);
  return (i) => depth[(((i / mask.width) | 0) - y0) * w + (i % mask.width) - x0]!;
}

/** Splits a binary mask into the components Telea should handle and those PatchMatch should. */
export async function planFill(mask: RawMask): Promise<FillPlan> {
  const { width, height } = mask;
  const thicknessAt = await holeDepth(mask);
  const telea = new Uint8Array(width * height);
  const patch = new Uint8Array(width * height);
  let anyTelea = false;
  let anyPatch = false;
  let done = 0;
  for (const component of await maskComponents(mask)) {
    let thickness = 0;
    for (let k = 0; k < component.length; k++) thickness = Math.max(thickness, thicknessAt(component[k]!));
    const thin = thickness <= THIN_HOLE_RADIUS || component.length <= SMALL_HOLE_AREA;
    const target = thin ? telea : patch;
    for (let k = 0; k < component.length; k++) target[component[k]!] = 255;
    done += component.length;
    if (done >= SLICE_PIXELS) {
      done = 0;
      await nextTurn();
    }
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
  return fillBinary(image, thresholdMask(await fitMask(mask, image.width, image.height)), signal);
}

/** contentAwareFill of a binary mask of the image's size (erase has made one already). */
async function fillBinary(image: RawImage, binary: RawMask, signal?: AbortSignal): Promise<RawImage> {
  const plan = await planFill(binary);
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
  assertRawImage(image);
  const binary = thresholdMask(await fitMask(mask, image.width, image.height));
  return fillBinary(image, await growMask(binary, options.grow ?? 2), options.signal);
}
