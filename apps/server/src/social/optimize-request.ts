import { parseEncodeFormat } from '../imaging/encode.ts';
import type { Size } from '../imaging/geometry.ts';
import type { CropMode } from '../imaging/smart-crop.ts';
import { type CropOverride, resolveCrops } from './crop-overrides.ts';
import type { PlatformFormat } from './platforms.ts';
import type { FormatSelection } from './select-formats.ts';
import type { FitBackground, OptimizeRequest, SocialOutputFormat } from './social.service.ts';

/** The optimize body as the studio takes it (one source, or each source of a campaign). */
export interface OptimizeInput extends FormatSelection {
  cropMode: string;
  focalPoint?: { x: number; y: number } | null;
  outputFormat: string;
  quality?: number;
  fitBackground: FitBackground;
  backgroundColor: string;
  showSafeZones: boolean;
  burnSafeZones: boolean;
  includeBase64: boolean;
  crops?: readonly CropOverride[];
}

/** The request as the optimizer takes it, crops checked against the loaded image. */
export function optimizeRequest(
  input: OptimizeInput,
  formats: PlatformFormat[],
  image: Size,
): OptimizeRequest {
  return {
    formats,
    cropMode: cropMode(input.cropMode),
    ...(input.focalPoint ? { focalPoint: input.focalPoint } : {}),
    crops: resolveCrops(input.crops, formats, image),
    outputFormat: socialFormat(input.outputFormat),
    ...(input.quality !== undefined ? { quality: input.quality } : {}),
    fitBackground: input.fitBackground,
    backgroundColor: input.backgroundColor,
    burnSafeZones: input.burnSafeZones,
    preview: input.showSafeZones,
  };
}

/** The seed: smart, center, fit; any other value behaves as center. */
function cropMode(value: string): CropMode {
  const v = value.trim().toLowerCase();
  return v === 'smart' || v === 'fit' ? v : 'center';
}

function socialFormat(value: string): SocialOutputFormat {
  const f = parseEncodeFormat(value);
  return f === 'jpeg' || f === 'png' || f === 'webp' || f === 'avif' ? f : 'png';
}
