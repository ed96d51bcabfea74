import { validationFailed } from '../errors.ts';
import type { Size } from '../providers/types.ts';

export type UpscalePreset = 'web' | 'print' | 'social';

/** Long side of each preset, in pixels. */
export const PRESET_LONG_SIDE: Readonly<Record<UpscalePreset, number>> = {
  web: 2048,
  print: 3072,
  social: 1080,
};
/** Without a preset or target size, upscales go 4× (the models' native factor). */
export const DEFAULT_FACTOR = 4;
/** The largest output this server makes (6000 × 6000). */
export const MAX_OUTPUT_PIXELS = 36_000_000;

export interface TargetRequest {
  preset?: UpscalePreset;
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

const longSide = (src: Size, side: number): Size =>
  src.width >= src.height
    ? { width: side, height: Math.max(1, Math.round((side * src.height) / src.width)) }
    : { width: Math.max(1, Math.round((side * src.width) / src.height)), height: side };

/**
 * The exact output size: explicit width and height win; one of them keeps the aspect ratio; a
 * preset sets the long side (print: or DPI × inches); otherwise 4×. The result is always reached
 * exactly (resize and, when the aspect differs, a centred crop).
 */
export function upscaleTarget(src: Size, r: TargetRequest): Target {
  let t: Target;
  const byWidth = (w: number) => Math.max(1, Math.round((w * src.height) / src.width));
  const byHeight = (h: number) => Math.max(1, Math.round((h * src.width) / src.height));
  if (r.targetWidth && r.targetHeight) {
    t = { width: r.targetWidth, height: r.targetHeight, source: 'target_width × target_height' };
  } else if (r.targetWidth) {
    t = { width: r.targetWidth, height: byWidth(r.targetWidth), source: 'target_width' };
  } else if (r.targetHeight) {
    t = { width: byHeight(r.targetHeight), height: r.targetHeight, source: 'target_height' };
  } else if (r.preset === 'print' && r.dpi && (r.printWidthIn || r.printHeightIn)) {
    const w = r.printWidthIn ? Math.round(r.dpi * r.printWidthIn) : undefined;
    const h = r.printHeightIn ? Math.round(r.dpi * r.printHeightIn) : undefined;
    t = {
      width: w ?? byHeight(h as number),
      height: h ?? byWidth(w as number),
      source: `print at ${r.dpi} dpi`,
    };
  } else if (r.preset) {
    t = { ...longSide(src, PRESET_LONG_SIDE[r.preset]), source: `preset ${r.preset}` };
  } else {
    t = {
      width: src.width * DEFAULT_FACTOR,
      height: src.height * DEFAULT_FACTOR,
      source: `${DEFAULT_FACTOR}×`,
    };
  }
  if (t.width * t.height > MAX_OUTPUT_PIXELS) {
    throw validationFailed(
      `The output would be ${t.width}×${t.height} px; the most this server makes is ${MAX_OUTPUT_PIXELS.toLocaleString('en')} pixels.`,
    );
  }
  return t;
}

/** How much larger the output is than the input (the larger of the two axes). */
export const scaleFactor = (src: Size, t: Size) => Math.max(t.width / src.width, t.height / src.height);
