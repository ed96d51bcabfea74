import { validationFailed } from '../errors.ts';
import type { Rect, Size } from '../imaging/geometry.ts';
import { findFormat, findPlatform, type PlatformFormat } from './platforms.ts';

export interface CropOverride extends Rect {
  platform: string;
  /** The format's name (as the seed matched it) or id/slug. */
  format: string;
}

/** A crop may differ from the format's aspect ratio by this much (rounding to whole pixels). */
const ASPECT_TOLERANCE = 0.01;

/**
 * The caller's crops by format id, checked against the source: whole pixels inside the image, the
 * format's aspect ratio within 1%, and only for formats being made. Any bad crop refuses the whole
 * request (400) before anything is decoded or saved.
 */
export function resolveCrops(
  crops: readonly CropOverride[] | undefined,
  formats: readonly PlatformFormat[],
  source: Size,
): Map<string, Rect> {
  const byId = new Map<string, Rect>();
  crops?.forEach((c, i) => {
    const fail = (message: string) =>
      validationFailed(message, { issues: [{ path: `crops.${i}`, message }] });
    const platform = findPlatform(c.platform);
    const format = platform ? findFormat(platform, c.format) : undefined;
    if (!format || !formats.includes(format)) {
      throw fail(`crops[${i}]: ${c.platform} "${c.format}" is not one of the formats being made.`);
    }
    if (byId.has(format.id)) throw fail(`crops[${i}]: a second crop for ${format.id}.`);
    const { left, top, width, height } = c;
    if (![left, top, width, height].every(Number.isInteger) || width < 1 || height < 1) {
      throw fail(`crops[${i}]: left, top, width and height must be whole pixels, width and height ≥ 1.`);
    }
    if (left < 0 || top < 0 || left + width > source.width || top + height > source.height) {
      throw fail(
        `crops[${i}]: ${width}×${height} at (${left}, ${top}) is not inside the ${source.width}×${source.height} image.`,
      );
    }
    const want = format.width / format.height;
    const got = width / height;
    if (Math.abs(got - want) / want > ASPECT_TOLERANCE) {
      throw fail(
        `crops[${i}]: ${width}×${height} is ${got.toFixed(3)}:1; ${format.id} needs ${format.ratio} (${want.toFixed(3)}:1) within 1%.`,
      );
    }
    byId.set(format.id, { left, top, width, height });
  });
  return byId;
}
