import { resizeToPng } from '../imaging/exact-resize.ts';
import { findModel } from '../providers/catalog.ts';
import type { InputLimits, Size } from '../providers/types.ts';

/** The provider model's input limits for a Stability upscale mode. */
export const stabilityUpscaleLimits = (mode: 'fast' | 'conservative' | 'creative'): InputLimits =>
  findModel('stability', `upscale-${mode}`)?.input ?? {};

/** Whether the aspect ratio is one the model accepts (the one limit a resize cannot fix). */
export function aspectFits(size: Size, limits: InputLimits): boolean {
  const ratio = size.width / size.height;
  return !((limits.minAspect && ratio < limits.minAspect) || (limits.maxAspect && ratio > limits.maxAspect));
}

/**
 * The scale that brings an input within the model's size limits (1 when it already fits). The
 * output is resized to the exact target afterwards, so shrinking an input the model cannot take,
 * or enlarging one below its minimum, changes only how much the model has to work with.
 */
export function fitScale(size: Size, limits: InputLimits): number {
  const pixels = size.width * size.height;
  let s = 1;
  if (limits.maxPixels && pixels > limits.maxPixels)
    s = Math.min(s, Math.sqrt(limits.maxPixels / pixels) * 0.999);
  if (limits.maxSide) s = Math.min(s, limits.maxSide / Math.max(size.width, size.height));
  if (limits.minSide) s = Math.max(s, limits.minSide / Math.min(size.width, size.height));
  if (limits.minPixels && pixels * s * s < limits.minPixels) s = Math.sqrt(limits.minPixels / pixels) * 1.001;
  return s;
}

/** The input bytes resized (Lanczos3) to fit the model's limits, or unchanged when they fit. */
export async function fitInput(bytes: Buffer, size: Size, limits: InputLimits): Promise<Buffer> {
  const s = fitScale(size, limits);
  if (s === 1) return bytes;
  const width = Math.max(1, Math.floor(size.width * s));
  const height = Math.max(1, Math.floor(size.height * s));
  return resizeToPng(bytes, { width, height });
}
