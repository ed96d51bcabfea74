import { AppError, payloadTooLarge, unsupportedMediaType } from '../errors.ts';

/**
 * The rejections every image-taking endpoint shares. Codes are stable API: clients branch on them.
 */
export const invalidBase64 = (message: string) => new AppError(400, 'invalid_base64', message);

export const invalidImage = (message: string, details?: unknown) =>
  new AppError(400, 'invalid_image', message, details);

export const unsafeSvg = (reason: string) =>
  new AppError(400, 'unsafe_svg', `SVG refused: ${reason}.`, { reason });

export const fileTooLarge = (bytes: number, maxBytes: number) =>
  payloadTooLarge(`The image is ${formatMb(bytes)}; the limit is ${formatMb(maxBytes)}.`, {
    bytes,
    max_bytes: maxBytes,
  });

export const tooManyPixels = (width: number, height: number, maxPixels: number) =>
  new AppError(
    413,
    'too_many_pixels',
    `The image is ${width}×${height} (${((width * height) / 1e6).toFixed(1)} MP); the limit is ${(maxPixels / 1e6).toFixed(1)} MP.`,
    { width, height, max_pixels: maxPixels },
  );

export const tooManyFrames = (width: number, height: number, frames: number, maxPixels: number) =>
  new AppError(
    413,
    'too_many_pixels',
    `The animation has ${frames} frames of ${width}×${height} (${((width * height * frames) / 1e6).toFixed(1)} MP in all); the limit is ${(maxPixels / 1e6).toFixed(1)} MP.`,
    { width, height, frames, max_pixels: maxPixels },
  );

export const unsupportedImageType = (detected: string) =>
  unsupportedMediaType(
    `Unsupported file type (${detected}). Accepted: JPEG, PNG, WebP, AVIF, GIF, TIFF, SVG.`,
    { detected },
  );

const formatMb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
