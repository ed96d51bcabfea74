import type { FaceBox } from '../imaging/faces.ts';
import type { Size } from '../imaging/geometry.ts';
import { findPlatform, type PlatformFormat } from './platforms.ts';

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(bytes < 1024 * 1024 ? 2 : 1)} MB`;
const nameOf = (format: PlatformFormat) =>
  `${findPlatform(format.platform)?.displayName ?? format.platform} ${format.name}`;

interface Encoded {
  bytes: Buffer;
  format: string;
  quality: number;
  scale: number;
}

/** The per-output error when nothing fits: what was tried and the limit it missed. */
export function overLimitMessage(format: PlatformFormat, smallest: Encoded): string {
  return (
    `${nameOf(format)}: the smallest file that could be made was ${mb(smallest.bytes.length)} ` +
    `(${smallest.format.toUpperCase()} at quality ${smallest.quality}${smallest.scale < 1 ? `, ${Math.round(smallest.scale * 100)}% size` : ''}), ` +
    `over the ${mb(format.maxBytes)} limit. Try a less detailed image or another output format.`
  );
}

/** What a user should know about one output: unaccepted type, enlargement, lowered quality, cut faces. */
export function outputWarnings(
  planned: {
    format: PlatformFormat;
    crop: { left: number; top: number; width: number; height: number };
    strategy: string;
    placement?: unknown;
  },
  faces: readonly FaceBox[],
  requested: string,
  requestedQuality: number,
  encoded: Encoded,
  size: Size,
): string[] {
  const { format, crop: c } = planned;
  const warnings: string[] = [];
  if (!format.fileTypes.some((t) => t === encoded.format)) {
    warnings.push(
      `${nameOf(format)} does not accept ${encoded.format.toUpperCase()} uploads (accepted: ${format.fileTypes.join(', ').toUpperCase()}).`,
    );
  }
  if (encoded.format !== requested) {
    warnings.push(
      `Saved as ${encoded.format.toUpperCase()}: no ${requested.toUpperCase()} file fits the ${mb(format.maxBytes)} limit.`,
    );
  }
  if (size.width !== format.width) {
    warnings.push(
      `Made ${size.width}×${size.height} instead of ${format.width}×${format.height} to fit the ${mb(format.maxBytes)} limit.`,
    );
  }
  if (!planned.placement && (c.width < size.width || c.height < size.height)) {
    warnings.push(
      `Enlarged: the source area is ${c.width}×${c.height}, smaller than ${size.width}×${size.height}.`,
    );
  }
  if (encoded.format === requested && encoded.quality < requestedQuality) {
    warnings.push(
      `Quality lowered from ${requestedQuality} to ${encoded.quality} to stay under the ${mb(format.maxBytes)} limit.`,
    );
  }
  if (planned.strategy === 'faces' || planned.strategy === 'focal_point' || planned.strategy === 'manual') {
    const cut = faces.some((f) => {
      const ox = Math.min(c.left + c.width, f.left + f.width) - Math.max(c.left, f.left);
      const oy = Math.min(c.top + c.height, f.top + f.height) - Math.max(c.top, f.top);
      return ox > 0 && oy > 0 && (ox < f.width - 1 || oy < f.height - 1);
    });
    if (cut) warnings.push('A face could not be kept whole in this format.');
  }
  return warnings;
}
