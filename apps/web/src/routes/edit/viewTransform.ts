import type { Point } from './maskHistory.ts';

export interface Size {
  width: number;
  height: number;
}

/** How the image sits in the stage: a screen point is `image point × scale + (x, y)`. */
export interface View {
  scale: number;
  x: number;
  y: number;
}

/** The deepest zoom, in screen pixels per image pixel (or the fit, for an image smaller than that). */
const MAX_PIXEL_SCALE = 16;

/** The whole image, centred and as large as the stage allows. */
export function fitView(image: Size, stage: Size): View {
  const scale = Math.min(stage.width / image.width, stage.height / image.height);
  return {
    scale,
    x: (stage.width - image.width * scale) / 2,
    y: (stage.height - image.height * scale) / 2,
  };
}

/** Zoom goes from the fit (the whole image) to MAX_PIXEL_SCALE screen pixels per image pixel. */
export function scaleLimits(image: Size, stage: Size): { min: number; max: number } {
  const min = fitView(image, stage).scale;
  return { min, max: Math.max(min, MAX_PIXEL_SCALE) };
}

/**
 * Keeps the image covering the stage along each axis where it is larger than the stage, and centred
 * where it is smaller, so panning never loses it and zooming out comes back to the fit.
 */
export function clampView(view: View, image: Size, stage: Size): View {
  const { min, max } = scaleLimits(image, stage);
  const scale = Math.min(max, Math.max(min, view.scale));
  const axis = (offset: number, imageLength: number, stageLength: number) => {
    const shown = imageLength * scale;
    return shown <= stageLength
      ? (stageLength - shown) / 2
      : Math.min(0, Math.max(stageLength - shown, offset));
  };
  return {
    scale,
    x: axis(view.x, image.width, stage.width),
    y: axis(view.y, image.height, stage.height),
  };
}

export const toImage = (view: View, p: Point): Point => ({
  x: (p.x - view.x) / view.scale,
  y: (p.y - view.y) / view.scale,
});

export const toScreen = (view: View, p: Point): Point => ({
  x: p.x * view.scale + view.x,
  y: p.y * view.scale + view.y,
});

/** Zooms by `factor` keeping the image point under `anchor` (a stage point) where it is. */
export function zoomAt(view: View, factor: number, anchor: Point, image: Size, stage: Size): View {
  const { min, max } = scaleLimits(image, stage);
  const scale = Math.min(max, Math.max(min, view.scale * factor));
  const fixed = toImage(view, anchor);
  return clampView({ scale, x: anchor.x - fixed.x * scale, y: anchor.y - fixed.y * scale }, image, stage);
}

export const panBy = (view: View, dx: number, dy: number, image: Size, stage: Size): View =>
  clampView({ ...view, x: view.x + dx, y: view.y + dy }, image, stage);

const mid = (a: Point, b: Point): Point => ({ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 });

/**
 * Two fingers moved from `from` to `to`: the image follows them, scaled by how far apart they went,
 * so the image points under the fingers stay under them (as far as the limits allow).
 */
export function pinch(
  view: View,
  from: readonly [Point, Point],
  to: readonly [Point, Point],
  image: Size,
  stage: Size,
): View {
  const before = Math.hypot(from[1].x - from[0].x, from[1].y - from[0].y);
  const after = Math.hypot(to[1].x - to[0].x, to[1].y - to[0].y);
  const start = mid(...from);
  const end = mid(...to);
  const zoomed = zoomAt(view, before > 0 ? after / before : 1, start, image, stage);
  return panBy(zoomed, end.x - start.x, end.y - start.y, image, stage);
}

/** A wheel turn as a zoom factor: one notch (100 px) is about 1.2×; line and page modes are scaled. */
export function wheelFactor(deltaY: number, deltaMode: number): number {
  const pixels = deltaMode === 1 ? deltaY * 16 : deltaMode === 2 ? deltaY * 400 : deltaY;
  return Math.exp(-pixels * 0.0018);
}
