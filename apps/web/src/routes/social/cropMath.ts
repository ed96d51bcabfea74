/** A rectangle in source pixels, as the server takes crops. */
export interface CropRect {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface Size {
  width: number;
  height: number;
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/** The crop moved by (dx, dy) source pixels, kept inside the image. */
export function moveCrop(crop: CropRect, dx: number, dy: number, source: Size): CropRect {
  return {
    ...crop,
    left: Math.round(clamp(crop.left + dx, 0, source.width - crop.width)),
    top: Math.round(clamp(crop.top + dy, 0, source.height - crop.height)),
  };
}

/** The largest crop of the output's aspect ratio that fits in the image. */
export function largestCrop(aspect: number, source: Size): Size {
  const width = Math.min(source.width, Math.floor(source.height * aspect));
  return { width, height: Math.min(source.height, Math.round(width / aspect)) };
}

/**
 * The crop at `fraction` (0–1] of the largest size its aspect ratio allows, around the same centre,
 * aspect locked, whole pixels, inside the image. Rounding keeps the ratio well within the server's 1%
 * for any crop at least 100 px wide.
 */
export function resizeCrop(crop: CropRect, fraction: number, aspect: number, source: Size): CropRect {
  const max = largestCrop(aspect, source);
  const width = Math.max(1, Math.round(max.width * clamp(fraction, 0.05, 1)));
  const height = Math.max(1, Math.min(source.height, Math.round(width / aspect)));
  const cx = crop.left + crop.width / 2;
  const cy = crop.top + crop.height / 2;
  return {
    width,
    height,
    left: Math.round(clamp(cx - width / 2, 0, source.width - width)),
    top: Math.round(clamp(cy - height / 2, 0, source.height - height)),
  };
}

/** How large the crop is against the largest one its ratio allows (the size slider's value). */
export function cropFraction(crop: CropRect, aspect: number, source: Size): number {
  return crop.width / largestCrop(aspect, source).width;
}

/**
 * CSS placing the whole source image inside a frame `frameWidth` wide so the frame shows exactly the
 * crop: the image is scaled by frame / crop width and shifted by the crop's offset.
 */
export function imagePlacement(crop: CropRect, source: Size, frameWidth: number) {
  const k = frameWidth / crop.width;
  return {
    width: source.width * k,
    height: source.height * k,
    left: -crop.left * k,
    top: -crop.top * k,
  };
}
