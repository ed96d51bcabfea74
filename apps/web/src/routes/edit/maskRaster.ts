import { isInvert, type MaskOp, type Point, type Stroke } from './maskHistory.ts';

/**
 * The mask as the server receives it, one byte per image pixel (255 = edit, 0 = keep), computed from
 * the steps without a canvas, so the screen shows exactly what is sent and tests can check it.
 */
export interface MaskRaster {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

/** A changed area in image pixels, for redrawing only that part of the screen. */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const emptyRaster = (width: number, height: number): MaskRaster => ({
  width,
  height,
  data: new Uint8ClampedArray(width * height),
});

export const cloneRaster = (r: MaskRaster): MaskRaster => ({ ...r, data: r.data.slice() });

/**
 * How much of the brush covers a pixel whose centre lies `d` from the stroke's path (0…1): full
 * inside `radius × hardness`, then a smooth fall to nothing at `radius`. A hard brush still gets one
 * pixel of falloff so its edge is not jagged.
 */
export function coverage(d: number, radius: number, hardness: number): number {
  const core = radius * Math.min(1, Math.max(0, hardness));
  const ramp = Math.max(radius - core, 1);
  const t = Math.min(1, Math.max(0, (radius - d) / ramp));
  return t * t * (3 - 2 * t);
}

function distanceToSegment(px: number, py: number, a: Point, b: Point): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const length2 = dx * dx + dy * dy;
  const t = length2 === 0 ? 0 : Math.min(1, Math.max(0, ((px - a.x) * dx + (py - a.y) * dy) / length2));
  return Math.hypot(px - (a.x + t * dx), py - (a.y + t * dy));
}

/**
 * Lays the segment a→b of a stroke into the mask: paint raises pixels to the brush's coverage, the
 * eraser lowers them to what it leaves. Both only ever move a pixel one way, so laying a stroke
 * segment by segment (while it is drawn) gives the same pixels as laying it at once.
 */
export function applySegment(mask: MaskRaster, stroke: Stroke, a: Point, b: Point): Rect | null {
  const r = stroke.radius;
  const x0 = Math.max(0, Math.floor(Math.min(a.x, b.x) - r));
  const y0 = Math.max(0, Math.floor(Math.min(a.y, b.y) - r));
  const x1 = Math.min(mask.width, Math.ceil(Math.max(a.x, b.x) + r));
  const y1 = Math.min(mask.height, Math.ceil(Math.max(a.y, b.y) + r));
  if (x1 <= x0 || y1 <= y0) {
    return null;
  }
  const { data, width } = mask;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const d = distanceToSegment(x + 0.5, y + 0.5, a, b);
      if (d >= r) {
        continue;
      }
      const c = Math.round(coverage(d, r, stroke.hardness) * 255);
      const i = y * width + x;
      const current = data[i] ?? 0;
      data[i] = stroke.erase ? Math.min(current, 255 - c) : Math.max(current, c);
    }
  }
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/** The segment that point `index` of a stroke adds (the first point is a dot). */
export function segmentAt(stroke: Stroke, index: number): [Point, Point] | null {
  const b = stroke.points[index];
  if (!b) {
    return null;
  }
  return [stroke.points[index - 1] ?? b, b];
}

const union = (a: Rect | null, b: Rect | null): Rect | null => {
  if (!a || !b) {
    return a ?? b;
  }
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return {
    x,
    y,
    width: Math.max(a.x + a.width, b.x + b.width) - x,
    height: Math.max(a.y + a.height, b.y + b.height) - y,
  };
};

/** Applies one step to the mask in place and returns the area it changed. */
export function applyOp(mask: MaskRaster, op: MaskOp): Rect | null {
  if (isInvert(op)) {
    const { data } = mask;
    for (let i = 0; i < data.length; i++) {
      data[i] = 255 - (data[i] ?? 0);
    }
    return { x: 0, y: 0, width: mask.width, height: mask.height };
  }
  let changed: Rect | null = null;
  for (let i = 0; i < op.points.length; i++) {
    const segment = segmentAt(op, i);
    if (segment) {
      changed = union(changed, applySegment(mask, op, ...segment));
    }
  }
  return changed;
}

/** The mask the steps make, at the image's own pixel size. */
export function rasterise(ops: readonly MaskOp[], width: number, height: number): MaskRaster {
  const mask = emptyRaster(width, height);
  for (const op of ops) {
    applyOp(mask, op);
  }
  return mask;
}

/** Pixels to edit (any value above 0). */
export function paintedPixels(mask: MaskRaster): number {
  let n = 0;
  for (const v of mask.data) {
    if (v > 0) {
      n++;
    }
  }
  return n;
}

/**
 * Writes part of the mask into RGBA pixels: `color` with the mask as alpha for the screen, or (with
 * `color` null) grey levels on opaque black for the PNG the server takes (white = edit).
 */
export function toRgba(
  mask: MaskRaster,
  rgba: Uint8ClampedArray,
  color: readonly [number, number, number] | null,
  area: Rect = { x: 0, y: 0, width: mask.width, height: mask.height },
): void {
  for (let y = area.y; y < area.y + area.height; y++) {
    for (let x = area.x; x < area.x + area.width; x++) {
      const i = y * mask.width + x;
      const v = mask.data[i] ?? 0;
      const o = i * 4;
      if (color) {
        rgba[o] = color[0];
        rgba[o + 1] = color[1];
        rgba[o + 2] = color[2];
        rgba[o + 3] = v;
      } else {
        rgba[o] = v;
        rgba[o + 1] = v;
        rgba[o + 2] = v;
        rgba[o + 3] = 255;
      }
    }
  }
}
