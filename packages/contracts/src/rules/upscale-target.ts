/**
 * Upscale target maths, shared by the server (which makes the image this size) and the web (which
 * shows the size and the price before a run). Pure: no zod, no I/O, so the browser imports it alone.
 */

export interface Size {
  width: number;
  height: number;
}

export type UpscalePresetName = 'web' | 'print' | 'social';

/** Long side of each preset, in pixels. */
export const PRESET_LONG_SIDE: Readonly<Record<UpscalePresetName, number>> = {
  web: 2048,
  print: 3072,
  social: 1080,
};
/** Without a preset or target size, upscales go 4× (the models' native factor). */
export const DEFAULT_FACTOR = 4;
/** The largest output the server makes (6000 × 6000). */
export const MAX_OUTPUT_PIXELS = 36_000_000;

export interface TargetRequest {
  preset?: UpscalePresetName;
  targetWidth?: number;
  targetHeight?: number;
  dpi?: number;
  printWidthIn?: number;
  printHeightIn?: number;
}

export interface Target extends Size {
  /** How the size was decided, for the response metadata. */
  source: string;
}

const byWidth = (src: Size, w: number) => Math.max(1, Math.round((w * src.height) / src.width));
const byHeight = (src: Size, h: number) => Math.max(1, Math.round((h * src.width) / src.height));

/** `side` on the longer axis, the other keeping the aspect ratio. */
export const longSide = (src: Size, side: number): Size =>
  src.width >= src.height
    ? { width: side, height: byWidth(src, side) }
    : { width: byHeight(src, side), height: side };

/**
 * The exact output size: explicit width and height win; one of them keeps the aspect ratio; a
 * preset sets the long side (print: or DPI × inches); otherwise `factor` × (4 unless told). The
 * server reaches it exactly (resize and, when the aspect differs, a centred crop).
 */
export function upscaleTargetSize(src: Size, r: TargetRequest, factor = DEFAULT_FACTOR): Target {
  if (r.targetWidth && r.targetHeight) {
    return { width: r.targetWidth, height: r.targetHeight, source: 'target_width × target_height' };
  }
  if (r.targetWidth) {
    return { width: r.targetWidth, height: byWidth(src, r.targetWidth), source: 'target_width' };
  }
  if (r.targetHeight) {
    return { width: byHeight(src, r.targetHeight), height: r.targetHeight, source: 'target_height' };
  }
  if (r.preset === 'print' && r.dpi && (r.printWidthIn || r.printHeightIn)) {
    const w = r.printWidthIn ? Math.round(r.dpi * r.printWidthIn) : undefined;
    const h = r.printHeightIn ? Math.round(r.dpi * r.printHeightIn) : undefined;
    const source = `print at ${r.dpi} dpi`;
    if (w !== undefined && h !== undefined) return { width: w, height: h, source };
    return w !== undefined
      ? { width: w, height: byWidth(src, w), source }
      : { width: byHeight(src, h ?? 1), height: h ?? 1, source };
  }
  if (r.preset) {
    return { ...longSide(src, PRESET_LONG_SIDE[r.preset]), source: `preset ${r.preset}` };
  }
  return { width: src.width * factor, height: src.height * factor, source: `${factor}×` };
}

/** Whether a size is more than the server makes. */
export const exceedsMaxOutput = (t: Size) => t.width * t.height > MAX_OUTPUT_PIXELS;

/** How much larger the output is than the input (the larger of the two axes). */
export const scaleFactor = (src: Size, t: Size) => Math.max(t.width / src.width, t.height / src.height);
