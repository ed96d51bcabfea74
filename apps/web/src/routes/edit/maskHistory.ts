/** One brush stroke in image pixels; an eraser stroke takes paint away. */
export interface Stroke {
  points: { x: number; y: number }[];
  radius: number;
  erase: boolean;
}

/** The painted strokes with undo and redo; clearing is a step that can be undone too. */
export interface MaskHistory {
  past: Stroke[][];
  present: Stroke[];
  future: Stroke[][];
}

export const EMPTY_MASK: MaskHistory = { past: [], present: [], future: [] };

const commit = (h: MaskHistory, next: Stroke[]): MaskHistory => ({
  past: [...h.past, h.present],
  present: next,
  future: [],
});

export const addStroke = (h: MaskHistory, stroke: Stroke): MaskHistory => commit(h, [...h.present, stroke]);

export const clearMask = (h: MaskHistory): MaskHistory => (h.present.length ? commit(h, []) : h);

export function undo(h: MaskHistory): MaskHistory {
  const previous = h.past.at(-1);
  return previous ? { past: h.past.slice(0, -1), present: previous, future: [h.present, ...h.future] } : h;
}

export function redo(h: MaskHistory): MaskHistory {
  const [next, ...rest] = h.future;
  return next ? { past: [...h.past, h.present], present: next, future: rest } : h;
}

/** Whether any paint was laid down (an eraser may have taken it all away again: the server says so then). */
export const hasPaint = (strokes: readonly Stroke[]): boolean => strokes.some((s) => !s.erase);

/** Draws strokes on a 2D context: paint in `color`, eraser strokes as `eraseWith` (or cut out). */
export function drawStrokes(
  ctx: CanvasRenderingContext2D,
  strokes: readonly Stroke[],
  color: string,
  eraseWith: string | null,
): void {
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  for (const s of strokes) {
    const cut = s.erase && eraseWith === null;
    ctx.globalCompositeOperation = cut ? 'destination-out' : 'source-over';
    ctx.strokeStyle = s.erase ? (eraseWith ?? '#000') : color;
    ctx.fillStyle = ctx.strokeStyle;
    ctx.lineWidth = s.radius * 2;
    const [first, ...rest] = s.points;
    if (!first) {
      continue;
    }
    if (rest.length === 0) {
      ctx.beginPath();
      ctx.arc(first.x, first.y, s.radius, 0, Math.PI * 2);
      ctx.fill();
      continue;
    }
    ctx.beginPath();
    ctx.moveTo(first.x, first.y);
    for (const p of rest) {
      ctx.lineTo(p.x, p.y);
    }
    ctx.stroke();
  }
  ctx.globalCompositeOperation = 'source-over';
}

/** The mask the server takes: a PNG at the image's pixel size, white where to edit, black elsewhere. */
export function maskPng(strokes: readonly Stroke[], width: number, height: number): Promise<Blob> {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  if (!ctx) {
    return Promise.reject(new Error('This browser cannot draw the mask.'));
  }
  ctx.fillStyle = '#000';
  ctx.fillRect(0, 0, width, height);
  drawStrokes(ctx, strokes, '#fff', '#000');
  return new Promise((resolve, reject) =>
    canvas.toBlob(
      (blob) => (blob ? resolve(blob) : reject(new Error('Could not encode the mask.'))),
      'image/png',
    ),
  );
}
