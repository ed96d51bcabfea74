import type { ModelSpec, Quality, Size } from './types.ts';

export interface SizeChoice extends Size {
  /** The aspect ratio value to send, for aspect-ratio models. */
  aspectRatio?: string;
  /** The size tier to send (Gemini `imageSize`), for models with tiers. */
  sizeTier?: string;
}

/** Size tier used when the caller gives no target size. */
export const QUALITY_SIZE_TIER: Readonly<Record<Quality, string>> = {
  draft: '1K',
  standard: '1K',
  premium: '2K',
};

export function parseAspectRatio(value: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*[:/x]\s*(\d+(?:\.\d+)?)$/.exec(value.trim());
  if (!m) return undefined;
  const w = Number(m[1]);
  const h = Number(m[2]);
  return w > 0 && h > 0 ? w / h : undefined;
}

const ratioDistance = (a: number, b: number) => Math.abs(Math.log(a) - Math.log(b));

const roundTo = (value: number, multiple: number) =>
  Math.max(multiple, Math.round(value / multiple) * multiple);

/**
 * The supported size closest to `target` for this model. Callers generate at the returned size and
 * then resize/crop to the exact target, so the choice keeps the aspect ratio first and avoids
 * generating smaller than the target when a larger tier exists.
 */
export function nearestSize(model: ModelSpec, target: Size, opts: { sizeTier?: string } = {}): SizeChoice {
  const sizing = model.sizing;
  const targetRatio = target.width / target.height;
  if (sizing.kind === 'aspect_ratio') {
    let best: [string, Size] | undefined;
    for (const entry of Object.entries(sizing.ratios)) {
      const r = entry[1].width / entry[1].height;
      if (
        !best ||
        ratioDistance(r, targetRatio) < ratioDistance(best[1].width / best[1].height, targetRatio)
      ) {
        best = entry;
      }
    }
    if (!best) throw new Error(`model ${model.id} declares no aspect ratios`);
    const [aspectRatio, base] = best;
    if (!sizing.scales) return { ...base, aspectRatio };
    const tiers = Object.entries(sizing.scales).sort((a, b) => a[1] - b[1]);
    const forced = opts.sizeTier ? tiers.find(([t]) => t === opts.sizeTier) : undefined;
    const covering = tiers.find(
      ([, s]) => base.width * s >= target.width && base.height * s >= target.height,
    );
    const [sizeTier, scale] = forced ?? covering ?? tiers[tiers.length - 1]!;
    return { width: base.width * scale, height: base.height * scale, aspectRatio, sizeTier };
  }
  if (sizing.kind === 'free') {
    let { width, height } = target;
    const shrink = Math.min(
      1,
      sizing.maxSide / Math.max(width, height),
      sizing.maxPixels ? Math.sqrt(sizing.maxPixels / (width * height)) : 1,
    );
    width *= shrink;
    height *= shrink;
    const grow = Math.max(1, sizing.minSide / Math.min(width, height));
    width *= grow;
    height *= grow;
    const clamp = (v: number) =>
      Math.min(
        Math.floor(sizing.maxSide / sizing.multipleOf) * sizing.multipleOf,
        roundTo(v, sizing.multipleOf),
      );
    return { width: clamp(width), height: clamp(height) };
  }
  return { ...target };
}

/** Size a model produces when the caller names only an aspect ratio (or nothing: 1:1). */
export function sizeForAspectRatio(
  model: ModelSpec,
  aspectRatio: string | undefined,
  quality?: Quality,
): SizeChoice {
  const ratio = (aspectRatio && parseAspectRatio(aspectRatio)) || 1;
  const longSide = 1024;
  const target =
    ratio >= 1
      ? { width: longSide, height: longSide / ratio }
      : { width: longSide * ratio, height: longSide };
  const sizeTier =
    model.sizing.kind === 'aspect_ratio' && model.sizing.scales && quality
      ? QUALITY_SIZE_TIER[quality]
      : undefined;
  return nearestSize(
    model,
    { width: Math.round(target.width), height: Math.round(target.height) },
    { sizeTier },
  );
}
