import { badRequest } from '../errors.ts';
import { parseAspectRatio } from '../providers/sizing.ts';
import type { Size } from '../providers/types.ts';

const LONG_SIDE = 1920;
const DEFAULT: Size = { width: 1024, height: 1024 };
const MAX_SIDE = 8192;

/**
 * The size a create request asks for: explicit width×height; one side plus an aspect ratio; an
 * aspect ratio alone (long side 1920, as the original); the template's size; else 1024². Unlike the
 * original, a fractional ratio like 1.91:1 works and a bad one is a 400, not a silent square.
 */
export function targetSize(input: {
  width?: number | null;
  height?: number | null;
  aspectRatio?: string | null;
  template?: Size;
}): Size {
  const { width, height, aspectRatio } = input;
  if (width && height) {
    return { width, height };
  }
  if (aspectRatio) {
    const ratio = parseAspectRatio(aspectRatio);
    if (!ratio) {
      throw badRequest(`aspect_ratio must be W:H, got ${aspectRatio}.`);
    }
    const size = width
      ? { width, height: Math.round(width / ratio) }
      : height
        ? { width: Math.round(height * ratio), height }
        : ratio >= 1
          ? { width: LONG_SIDE, height: Math.round(LONG_SIDE / ratio) }
          : { width: Math.round(LONG_SIDE * ratio), height: LONG_SIDE };
    if (size.width > MAX_SIDE || size.height > MAX_SIDE || size.width < 16 || size.height < 16) {
      throw badRequest(
        `aspect_ratio ${aspectRatio} gives ${size.width}×${size.height}, outside 16–${MAX_SIDE} px.`,
      );
    }
    return size;
  }
  if (width || height) {
    const side = (width ?? height) as number;
    return input.template
      ? scaleTo(input.template, width ? { width: side } : { height: side })
      : { width: side, height: side };
  }
  return input.template ?? DEFAULT;
}

function scaleTo(size: Size, side: { width: number } | { height: number }): Size {
  const ratio = size.width / size.height;
  return 'width' in side
    ? { width: side.width, height: Math.round(side.width / ratio) }
    : { width: Math.round(side.height * ratio), height: side.height };
}
