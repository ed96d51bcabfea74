import type { Rect, Size } from '../imaging/geometry.ts';
import type { SafeZone } from './platforms.ts';

/** The safe area of an output, in output pixels (the seed's int() rounding, kept for parity). */
export function safeRect(size: Size, zone: SafeZone): Rect {
  const left = Math.floor(size.width * zone.left);
  const top = Math.floor(size.height * zone.top);
  const right = Math.floor(size.width * (1 - zone.right));
  const bottom = Math.floor(size.height * (1 - zone.bottom));
  return { left, top, width: right - left, height: bottom - top };
}

/**
 * The seed's overlay look: translucent black bands outside the safe area and a 2-px yellow border
 * around it, as an SVG the size of the output to composite over it.
 */
export function overlaySvg(size: Size, safe: Rect): Buffer {
  const { width: w, height: h } = size;
  const r = safe.left + safe.width;
  const b = safe.top + safe.height;
  const stroke = Math.max(2, Math.round(Math.max(w, h) / 540));
  const band = 'fill="rgb(0,0,0)" fill-opacity="0.39"';
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">` +
      `<rect x="0" y="0" width="${w}" height="${safe.top}" ${band}/>` +
      `<rect x="0" y="${b}" width="${w}" height="${h - b}" ${band}/>` +
      `<rect x="0" y="${safe.top}" width="${safe.left}" height="${safe.height}" ${band}/>` +
      `<rect x="${r}" y="${safe.top}" width="${w - r}" height="${safe.height}" ${band}/>` +
      `<rect x="${safe.left + stroke / 2}" y="${safe.top + stroke / 2}" width="${Math.max(0, safe.width - stroke)}" height="${Math.max(0, safe.height - stroke)}" fill="none" stroke="rgb(255,255,0)" stroke-opacity="0.78" stroke-width="${stroke}"/>` +
      '</svg>',
  );
}
