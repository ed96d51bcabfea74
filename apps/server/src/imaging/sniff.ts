export type SniffedFormat = 'jpeg' | 'png' | 'webp' | 'avif' | 'gif' | 'tiff' | 'svg';

export const MIME_OF: Record<SniffedFormat, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  avif: 'image/avif',
  gif: 'image/gif',
  tiff: 'image/tiff',
  svg: 'image/svg+xml',
};

const startsWith = (b: Buffer, sig: readonly number[], at = 0) =>
  b.length >= at + sig.length && sig.every((v, i) => b[at + i] === v);
const ascii = (b: Buffer, from: number, to: number) => b.subarray(from, to).toString('latin1');

/** ISO-BMFF: AVIF is accepted, HEIC and other brands are not (no HEVC decoder here anyway). */
function isAvif(b: Buffer): boolean {
  if (b.length < 16 || ascii(b, 4, 8) !== 'ftyp') return false;
  const boxSize = Math.min(b.readUInt32BE(0), b.length, 256);
  const brands = [ascii(b, 8, 12)];
  for (let off = 16; off + 4 <= boxSize; off += 4) brands.push(ascii(b, off, off + 4));
  return brands.includes('avif') || brands.includes('avis');
}

function looksLikeSvg(b: Buffer): boolean {
  const head = b
    .subarray(0, 4096)
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart();
  if (!head.startsWith('<')) return false;
  // Skip the XML declaration, comments and a doctype before the root element.
  const withoutProlog = head.replace(
    /^(?:<\?xml[^>]*\?>\s*|<!--[\s\S]*?-->\s*|<!DOCTYPE[^>[]*(?:\[[\s\S]*?\])?\s*>\s*)*/i,
    '',
  );
  return /^<svg[\s>]/i.test(withoutProlog);
}

/** Names the format from magic bytes; the client's Content-Type is never trusted. */
export function sniffFormat(b: Buffer): SniffedFormat | undefined {
  if (startsWith(b, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (b.length >= 12 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP') return 'webp';
  if (isAvif(b)) return 'avif';
  if (b.length >= 6 && (ascii(b, 0, 6) === 'GIF87a' || ascii(b, 0, 6) === 'GIF89a')) return 'gif';
  if (startsWith(b, [0x49, 0x49, 0x2a, 0x00]) || startsWith(b, [0x4d, 0x4d, 0x00, 0x2a])) return 'tiff';
  if (looksLikeSvg(b)) return 'svg';
  return undefined;
}

/** Where a PNG ends: just after its IEND chunk, or undefined when the chunks run out first. */
function pngEnd(b: Buffer): number | undefined {
  let off = 8;
  while (off + 12 <= b.length) {
    const length = b.readUInt32BE(off);
    const end = off + 12 + length;
    if (ascii(b, off + 4, off + 8) === 'IEND') return end;
    off = end;
  }
  return undefined;
}

/**
 * Bytes after the end a PNG or WebP declares. Nothing a camera or an editor writes puts anything
 * there, but a polyglot hides a second file (HTML, a ZIP) in exactly that place.
 */
export function trailingBytes(format: SniffedFormat, b: Buffer): number {
  let end: number | undefined;
  if (format === 'png') end = pngEnd(b);
  if (format === 'webp' && b.length >= 8) {
    const riff = b.readUInt32LE(4);
    end = 8 + riff + (riff % 2);
  }
  return end === undefined ? 0 : Math.max(0, b.length - end);
}

/** A human name for a rejected file, so the 415 says what was sent. */
export function describeUnknown(b: Buffer): string {
  if (startsWith(b, [0x25, 0x50, 0x44, 0x46])) return 'PDF';
  if (startsWith(b, [0x4d, 0x5a])) return 'Windows executable';
  if (startsWith(b, [0x7f, 0x45, 0x4c, 0x46])) return 'ELF executable';
  if (startsWith(b, [0x50, 0x4b, 0x03, 0x04])) return 'ZIP archive';
  if (startsWith(b, [0x1f, 0x8b])) return 'gzip data';
  if (b.length >= 12 && ascii(b, 4, 8) === 'ftyp') return `ISO media (${ascii(b, 8, 12).trim()})`;
  if (startsWith(b, [0x42, 0x4d])) return 'BMP';
  return 'unknown';
}
