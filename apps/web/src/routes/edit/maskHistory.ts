/** A point in image pixels (0,0 is the top-left corner of the top-left pixel). */
export interface Point {
  x: number;
  y: number;
}

/** One brush stroke in image pixels; an eraser stroke takes paint away. */
export interface Stroke {
  points: Point[];
  radius: number;
  /** 1 = a hard edge; lower values fade out over the outer part of the radius. */
  hardness: number;
  erase: boolean;
}

/** What the mask is made of, in order: strokes, and inversions of everything before. */
export type MaskOp = Stroke | { invert: true };

export const INVERT: MaskOp = { invert: true };

export const isInvert = (op: MaskOp): op is { invert: true } => 'invert' in op;

/** The mask's steps with undo and redo; clearing and inverting are steps that can be undone too. */
export interface MaskHistory {
  past: MaskOp[][];
  present: MaskOp[];
  future: MaskOp[][];
}

export const EMPTY_MASK: MaskHistory = { past: [], present: [], future: [] };

const commit = (h: MaskHistory, next: MaskOp[]): MaskHistory => ({
  past: [...h.past, h.present],
  present: next,
  future: [],
});

export const addStroke = (h: MaskHistory, stroke: Stroke): MaskHistory => commit(h, [...h.present, stroke]);

export const invertMask = (h: MaskHistory): MaskHistory => commit(h, [...h.present, INVERT]);

export const clearMask = (h: MaskHistory): MaskHistory => (h.present.length ? commit(h, []) : h);

export function undo(h: MaskHistory): MaskHistory {
  const previous = h.past.at(-1);
  return previous ? { past: h.past.slice(0, -1), present: previous, future: [h.present, ...h.future] } : h;
}

export function redo(h: MaskHistory): MaskHistory {
  const [next, ...rest] = h.future;
  return next ? { past: [...h.past, h.present], present: next, future: rest } : h;
}

/**
 * Whether the steps may leave paint: any paint stroke or inversion. An eraser may still have taken it
 * all away again; the exact answer needs the pixels (see maskRaster.ts), and the server says so then.
 */
export const hasPaint = (ops: readonly MaskOp[]): boolean => ops.some((op) => isInvert(op) || !op.erase);
