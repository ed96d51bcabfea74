import {
  MAX_OUTPUT_PIXELS,
  PRESET_LONG_SIDE,
  type Size,
  scaleFactor,
  upscaleTargetSize,
} from '@studio/contracts/rules';
import type { UpscaleMode, UpscaleOptions, UpscalePreset } from '../../api/upscale.ts';

export type { Size };
export { MAX_OUTPUT_PIXELS };

export interface PresetInfo {
  value: UpscalePreset;
  label: string;
  description: string;
}

/** The presets the server offers, described by the shared rule's long sides. */
export const PRESETS: readonly PresetInfo[] = [
  {
    value: 'web',
    label: 'Web',
    description: `Long side ${PRESET_LONG_SIDE.web} px: sharp on large and retina screens.`,
  },
  {
    value: 'print',
    label: 'Print',
    description: `Long side ${PRESET_LONG_SIDE.print} px: about 10 in (26 cm) at 300 dpi.`,
  },
  {
    value: 'social',
    label: 'Social',
    description: `Long side ${PRESET_LONG_SIDE.social} px: what Instagram and most feeds show.`,
  },
];

export type TargetChoice = '2x' | '4x' | UpscalePreset | 'exact';

export const TARGET_CHOICES: ReadonlyArray<{ value: TargetChoice; label: string }> = [
  { value: '2x', label: '2×' },
  { value: '4x', label: '4×' },
  ...PRESETS.map((p) => ({ value: p.value, label: p.label })),
  { value: 'exact', label: 'Exact' },
];

/** Explicit sides the request accepts. */
export const MIN_SIDE = 16;
export const MAX_SIDE = 16384;

export interface TargetState {
  choice: TargetChoice;
  width: number | null;
  height: number | null;
}

/** The output size the server will make, by the rule it applies; null until it is known. */
export function outputSize(src: Size | null, t: TargetState): Size | null {
  if (t.choice === 'exact' && t.width && t.height) {
    return { width: t.width, height: t.height };
  }
  if (!src) {
    return null;
  }
  switch (t.choice) {
    case 'exact':
      return t.width || t.height
        ? upscaleTargetSize(src, { targetWidth: t.width ?? undefined, targetHeight: t.height ?? undefined })
        : null;
    case '2x':
    case '4x':
      return upscaleTargetSize(src, {}, t.choice === '2x' ? 2 : 4);
    default:
      return upscaleTargetSize(src, { preset: t.choice });
  }
}

/** The request's target fields for a choice. */
export function targetFields(src: Size | null, t: TargetState): UpscaleOptions {
  switch (t.choice) {
    case 'exact':
      return { target_width: t.width, target_height: t.height };
    case '2x':
    case '4x': {
      const out = outputSize(src, t);
      return out ? { target_width: out.width, target_height: out.height } : {};
    }
    default:
      return { preset: t.choice };
  }
}

export interface ModeInfo {
  value: UpscaleMode;
  label: string;
  description: string;
  /** Needs a Stability key whatever the size. */
  needsStability: boolean;
}

export const MODES: readonly ModeInfo[] = [
  {
    value: 'auto',
    label: 'Auto',
    description:
      'Chooses for you: up to 2× a Lanczos resize; beyond that Stability Conservative when you have a key, otherwise local super-resolution for images up to 512×512 and Lanczos for larger ones.',
    needsStability: false,
  },
  {
    value: 'fast',
    label: 'Fast',
    description:
      'Lanczos3 resize with light sharpening on this server: instant and free, but it adds no new detail.',
    needsStability: false,
  },
  {
    value: 'conservative',
    label: 'Conservative',
    description:
      'Adds real detail while keeping the image as it is. With a Stability key it runs at Stability; without one, a local ESRGAN 4× network runs on this server (free, takes seconds to minutes) for inputs up to 1 MP, larger inputs get Lanczos.',
    needsStability: false,
  },
  {
    value: 'creative',
    label: 'Creative',
    description:
      'Stability Creative re-imagines fine detail guided by your prompt; it can change small things. Needs a Stability key.',
    needsStability: true,
  },
];

/** Inputs up to this size get local super-resolution (apps/server/src/upscale/upscale.service.ts). */
const LOCAL_SR_MAX_INPUT = 1_048_576;
const AUTO_LOCAL_SR_MAX_INPUT = 512 * 512;

export interface Plan {
  mode: Exclude<UpscaleMode, 'auto'>;
  route: 'local' | 'cloud';
  /** What will run, in words. */
  summary: string;
}

/**
 * What the server will run, decided as its UpscaleService.resolve does, so the cost shown before a
 * run is the one charged. `stability` = a usable Stability key for the mode.
 */
export function plan(
  mode: UpscaleMode,
  src: Size | null,
  out: Size | null,
  stability: (m: Exclude<UpscaleMode, 'auto'>) => boolean,
): Plan {
  const pixels = src ? src.width * src.height : 0;
  const local = (m: 'fast' | 'conservative'): Plan => {
    if (m === 'fast') return { mode: m, route: 'local', summary: 'Lanczos3 on this server' };
    return pixels > LOCAL_SR_MAX_INPUT
      ? { mode: m, route: 'local', summary: 'Lanczos3 on this server (input above 1 MP)' }
      : { mode: m, route: 'local', summary: 'local ESRGAN 4× super-resolution on this server' };
  };
  switch (mode) {
    case 'fast':
      return local('fast');
    case 'conservative':
      return stability('conservative')
        ? { mode, route: 'cloud', summary: 'Stability Conservative' }
        : local('conservative');
    case 'creative':
      return { mode, route: 'cloud', summary: 'Stability Creative' };
    default: {
      const factor = src && out ? scaleFactor(src, out) : 4;
      if (factor <= 2) return local('fast');
      if (stability('conservative'))
        return { mode: 'conservative', route: 'cloud', summary: 'Stability Conservative' };
      return pixels <= AUTO_LOCAL_SR_MAX_INPUT ? local('conservative') : local('fast');
    }
  }
}
