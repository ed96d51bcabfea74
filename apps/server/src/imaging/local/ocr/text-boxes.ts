/** An axis-aligned box in pixels of the image it was found in. */
export interface TextBox {
  x: number;
  y: number;
  width: number;
  height: number;
  /** Mean text probability inside the detected region. */
  score: number;
}

export interface BoxOptions {
  /** A pixel is text above this probability (PaddleOCR's `det_db_thresh`). */
  pixelThreshold: number;
  /** A region is kept when its mean probability reaches this (`det_db_box_thresh`). */
  boxThreshold: number;
  /** How far the shrunk text kernel is grown back (`det_db_unclip_ratio`). */
  unclipRatio: number;
  /** Regions with a shorter side than this many pixels are noise (`min_size`). */
  minSide: number;
}

export const DB_DEFAULTS: BoxOptions = {
  pixelThreshold: 0.3,
  boxThreshold: 0.6,
  unclipRatio: 1.5,
  minSide: 3,
};

/**
 * DB post-processing: the detector marks a shrunk core of each text line; its 8-connected regions
 * above the threshold, scored by their mean probability, grown back by area × ratio / perimeter (the
 * Vatti offset DB was trained with, here for the region's bounding rectangle), clipped to the map.
 */
export function textBoxes(
  prob: Float32Array,
  width: number,
  height: number,
  options: BoxOptions = DB_DEFAULTS,
): TextBox[] {
  const labels = new Int32Array(width * height);
  const stack = new Int32Array(width * height);
  const boxes: TextBox[] = [];
  let next = 0;
  for (let start = 0; start < prob.length; start++) {
    if (labels[start] !== 0 || (prob[start] ?? 0) <= options.pixelThreshold) continue;
    next++;
    let top = 0;
    stack[top++] = start;
    labels[start] = next;
    let minX = width;
    let minY = height;
    let maxX = 0;
    let maxY = 0;
    let sum = 0;
    let count = 0;
    while (top > 0) {
      const p = stack[--top] ?? 0;
      const px = p % width;
      const py = (p - px) / width;
      sum += prob[p] ?? 0;
      count++;
      if (px < minX) minX = px;
      if (px > maxX) maxX = px;
      if (py < minY) minY = py;
      if (py > maxY) maxY = py;
      for (let dy = -1; dy <= 1; dy++) {
        const ny = py + dy;
        if (ny < 0 || ny >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const nx = px + dx;
          if (nx < 0 || nx >= width) continue;
          const q = ny * width + nx;
          if (labels[q] === 0 && (prob[q] ?? 0) > options.pixelThreshold) {
            labels[q] = next;
            stack[top++] = q;
          }
        }
      }
    }
    const w = maxX - minX + 1;
    const h = maxY - minY + 1;
    const score = sum / count;
    if (Math.min(w, h) < options.minSide || score < options.boxThreshold) continue;
    const grow = (w * h * options.unclipRatio) / (2 * (w + h));
    const x0 = Math.max(0, Math.floor(minX - grow));
    const y0 = Math.max(0, Math.floor(minY - grow));
    const x1 = Math.min(width, Math.ceil(maxX + 1 + grow));
    const y1 = Math.min(height, Math.ceil(maxY + 1 + grow));
    boxes.push({ x: x0, y: y0, width: x1 - x0, height: y1 - y0, score });
  }
  return boxes;
}

/**
 * Reading order: boxes whose vertical centres lie within half a line of each other form one row,
 * rows top to bottom, boxes in a row left to right.
 */
export function readingOrder<T extends { x: number; y: number; height: number }>(boxes: T[]): T[][] {
  const sorted = [...boxes].sort((a, b) => a.y + a.height / 2 - (b.y + b.height / 2));
  const rows: T[][] = [];
  let row: T[] = [];
  let rowCentre = 0;
  for (const box of sorted) {
    const centre = box.y + box.height / 2;
    const first = row[0];
    if (first && Math.abs(centre - rowCentre) > Math.min(first.height, box.height) / 2) {
      rows.push(row);
      row = [];
    }
    if (row.length === 0) rowCentre = centre;
    row.push(box);
  }
  if (row.length > 0) rows.push(row);
  return rows.map((r) => r.sort((a, b) => a.x - b.x));
}
