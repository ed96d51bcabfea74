export interface Size {
  width: number;
  height: number;
}

export interface Rect {
  left: number;
  top: number;
  width: number;
  height: number;
}

export const contains = (outer: Rect, inner: Rect, tolerance = 0) =>
  inner.left >= outer.left - tolerance &&
  inner.top >= outer.top - tolerance &&
  inner.left + inner.width <= outer.left + outer.width + tolerance &&
  inner.top + inner.height <= outer.top + outer.height + tolerance;

export const union = (rects: readonly Rect[]): Rect | undefined => {
  if (rects.length === 0) return undefined;
  const left = Math.min(...rects.map((r) => r.left));
  const top = Math.min(...rects.map((r) => r.top));
  const right = Math.max(...rects.map((r) => r.left + r.width));
  const bottom = Math.max(...rects.map((r) => r.top + r.height));
  return { left, top, width: right - left, height: bottom - top };
};

export const roundRect = (r: Rect): Rect => ({
  left: Math.round(r.left),
  top: Math.round(r.top),
  width: Math.round(r.width),
  height: Math.round(r.height),
});

/** Clips a rectangle to the image area. */
export const clip = (r: Rect, size: Size): Rect => {
  const left = Math.max(0, Math.min(size.width, r.left));
  const top = Math.max(0, Math.min(size.height, r.top));
  const right = Math.max(left, Math.min(size.width, r.left + r.width));
  const bottom = Math.max(top, Math.min(size.height, r.top + r.height));
  return { left, top, width: right - left, height: bottom - top };
};
