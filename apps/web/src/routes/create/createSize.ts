import type { ProviderModelT } from '../../api/providers.ts';

/** The aspect presets the size picker offers, as W:H. */
export const ASPECT_PRESETS = ['1:1', '4:5', '3:4', '9:16', '16:9', '2:3', '3:2', '21:9'] as const;
export type AspectPreset = (typeof ASPECT_PRESETS)[number];

/** Width and height bounds of CreateImageRequest (the server refuses anything outside them). */
export const SIDE = { min: 64, max: 8192 } as const;

export interface Size {
  width: number;
  height: number;
}

const ratioOf = (aspect: string): number => {
  const [w, h] = aspect.split(':').map(Number);
  return (w ?? 1) / (h ?? 1);
};

/** A preset at the given long side: 16:9 at 1920 is 1920×1080, 9:16 is 1080×1920. */
export function presetSize(aspect: AspectPreset, longSide: number): Size {
  const ratio = ratioOf(aspect);
  const long = Math.min(SIDE.max, Math.max(SIDE.min, Math.round(longSide)));
  const size =
    ratio >= 1
      ? { width: long, height: Math.round(long / ratio) }
      : { width: Math.round(long * ratio), height: long };
  return { width: Math.max(SIDE.min, size.width), height: Math.max(SIDE.min, size.height) };
}

/** The preset a size matches exactly (to the pixel after rounding), if any. */
export function matchingPreset(size: Size): AspectPreset | null {
  return (
    ASPECT_PRESETS.find((a) => {
      const p = presetSize(a, Math.max(size.width, size.height));
      return p.width === size.width && p.height === size.height;
    }) ?? null
  );
}

/** Why a typed size cannot be sent, in the words the field shows; null when it can. */
export function sizeProblem(side: number | null, name: 'Width' | 'Height'): string | null {
  if (side === null) {
    return `${name} is needed.`;
  }
  if (!Number.isInteger(side)) {
    return `${name} is a whole number of pixels.`;
  }
  return side < SIDE.min || side > SIDE.max ? `${name} is ${SIDE.min}–${SIDE.max} px.` : null;
}

const distance = (a: number, b: number) => Math.abs(Math.log(a) - Math.log(b));
const roundTo = (v: number, m: number) => Math.max(m, Math.round(v / m) * m);

/**
 * The size a model generates before the server fits it exactly to the target (the server's
 * providers/sizing.ts nearestSize): the closest aspect ratio it offers, or a free size within its
 * bounds. Null when the model follows an input image.
 */
export function generatedSize(model: Pick<ProviderModelT, 'sizing'>, target: Size): Size | null {
  const sizing = model.sizing;
  const ratio = target.width / target.height;
  if (sizing.kind === 'aspect_ratio') {
    const sizes = Object.values(sizing.ratios);
    const best = sizes.reduce<Size | null>(
      (b, s) => (!b || distance(s.width / s.height, ratio) < distance(b.width / b.height, ratio) ? s : b),
      null,
    );
    if (!best) {
      return null;
    }
    const scales = Object.values(sizing.scales ?? {}).sort((a, b) => a - b);
    if (scales.length === 0) {
      return best;
    }
    const scale =
      scales.find((s) => best.width * s >= target.width && best.height * s >= target.height) ??
      scales.at(-1) ??
      1;
    return { width: best.width * scale, height: best.height * scale };
  }
  if (sizing.kind === 'free') {
    const shrink = Math.min(
      1,
      sizing.maxSide / Math.max(target.width, target.height),
      sizing.maxPixels ? Math.sqrt(sizing.maxPixels / (target.width * target.height)) : 1,
    );
    const w = target.width * shrink;
    const h = target.height * shrink;
    const grow = Math.max(1, sizing.minSide / Math.min(w, h));
    const cap = Math.floor(sizing.maxSide / sizing.multipleOf) * sizing.multipleOf;
    return {
      width: Math.min(cap, roundTo(w * grow, sizing.multipleOf)),
      height: Math.min(cap, roundTo(h * grow, sizing.multipleOf)),
    };
  }
  return null;
}
