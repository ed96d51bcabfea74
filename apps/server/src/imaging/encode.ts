import type { Sharp } from 'sharp';
import { badRequest } from '../errors.ts';
import type { AnswerBudget } from './answer-budget.ts';
import { bmpFileSize, encodeBmp } from './bmp.ts';
import type { Size } from './geometry.ts';
import { decodeFailure, type IngestedImage } from './ingest.ts';
import type { SniffedFormat } from './sniff.ts';

export type EncodeFormat = 'jpeg' | 'png' | 'webp' | 'avif' | 'gif' | 'tiff' | 'bmp';
export type ColorSpace = 'srgb' | 'p3';

export const ENCODE_MIME: Record<EncodeFormat, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  avif: 'image/avif',
  gif: 'image/gif',
  tiff: 'image/tiff',
  bmp: 'image/bmp',
};

export const DEFAULT_QUALITY: Record<EncodeFormat, number> = {
  jpeg: 85,
  png: 100,
  webp: 82,
  avif: 60,
  gif: 100,
  tiff: 90,
  bmp: 100,
};

/** Formats that can carry an alpha channel. */
const ALPHA_FORMATS: ReadonlySet<EncodeFormat> = new Set(['png', 'webp', 'avif', 'gif', 'tiff']);

/** Accepts the seed's spellings (`jpg`, `tif`, any case). */
export function parseEncodeFormat(value: string): EncodeFormat {
  const v = value.trim().toLowerCase();
  const f = v === 'jpg' ? 'jpeg' : v === 'tif' ? 'tiff' : v;
  if (f in ENCODE_MIME) return f as EncodeFormat;
  throw badRequest(
    `Unsupported output format "${value}". Use one of: ${Object.keys(ENCODE_MIME).join(', ')}, jpg.`,
  );
}

export function parseColorSpace(value: string | undefined): ColorSpace {
  if (value === undefined) return 'srgb';
  const v = value
    .trim()
    .toLowerCase()
    .replace(/[\s_-]/g, '');
  if (v === 'srgb') return 'srgb';
  if (v === 'p3' || v === 'displayp3') return 'p3';
  throw badRequest(`Colour space "${value}" is not available; use "sRGB" or "Display P3".`, {
    supported: ['sRGB', 'Display P3'],
  });
}

export interface EncodeSettings {
  format: EncodeFormat;
  /** 1–100; for PNG and GIF a value below 100 turns on palette quantisation. */
  quality: number;
  progressive?: boolean;
  /** Spend more CPU for smaller files (mozjpeg trellis, max zlib effort, AVIF effort). */
  optimize?: boolean;
  /**
   * JPEG: the standard Huffman tables instead of ones fitted to the picture. Half the encode's CPU
   * (one pass instead of two) for files 1–9% larger on photographs; the pixels are the same.
   */
  standardTables?: boolean;
}

/**
 * Applies one encoder to a pipeline. Lossless formats map "quality" to palette quantisation so a
 * size target can still be met step by step.
 */
export function applyEncoder(p: Sharp, s: EncodeSettings): Sharp {
  const q = Math.round(Math.min(100, Math.max(1, s.quality)));
  switch (s.format) {
    case 'jpeg':
      return p.jpeg({
        quality: q,
        progressive: s.progressive ?? false,
        mozjpeg: s.optimize ?? false,
        ...(s.standardTables ? { optimiseCoding: false } : {}),
      });
    case 'webp':
      return p.webp({ quality: q, effort: s.optimize ? 5 : 3 });
    case 'avif':
      return p.avif({ quality: q, effort: s.optimize ? 4 : 2 });
    case 'png':
      return q >= 100
        ? p.png({ compressionLevel: s.optimize ? 9 : 6, progressive: s.progressive ?? false })
        : p.png({ palette: true, quality: q, compressionLevel: 9, effort: s.optimize ? 7 : 4 });
    case 'gif':
      return p.gif({
        effort: s.optimize ? 7 : 4,
        ...(q < 100 ? { colours: Math.max(2, Math.round(2.56 * q)) } : {}),
      });
    case 'tiff':
      return p.tiff({ quality: q, compression: q >= 100 ? 'lzw' : 'jpeg' });
    case 'bmp':
      return p;
  }
}

/** Runs a pipeline to encoded bytes; BMP goes through our own writer. Decode errors become 400. */
export async function runEncode(p: Sharp, s: EncodeSettings): Promise<Buffer> {
  try {
    if (s.format === 'bmp') {
      const { data, info } = await p
        .flatten({ background: '#ffffff' })
        .toColourspace('srgb')
        .removeAlpha()
        .raw()
        .toBuffer({ resolveWithObject: true });
      return encodeBmp(data, info.width, info.height);
    }
    return await applyEncoder(p, s).toBuffer();
  } catch (e) {
    throw decodeFailure(e);
  }
}

export interface SizedEncode {
  bytes: Buffer;
  quality: number;
  /** Whether the bytes meet `maxBytes`. */
  withinLimit: boolean;
  /** Qualities tried, in order (first = the requested one). */
  tried: number[];
}

/**
 * Encodes at `quality` and, if the file is over `maxBytes`, searches downwards for the highest
 * quality that fits (bisection, so at most ~7 more encodes), never below `minQuality`. When even the
 * floor is too big the smallest attempt is returned with `withinLimit: false`.
 */
export async function encodeWithinLimit(
  encodeAt: (quality: number) => Promise<Buffer>,
  quality: number,
  maxBytes: number | undefined,
  minQuality = 10,
): Promise<SizedEncode> {
  const first = await encodeAt(quality);
  const tried = [quality];
  if (maxBytes === undefined || first.length <= maxBytes)
    return { bytes: first, quality, withinLimit: true, tried };
  if (minQuality >= quality) return { bytes: first, quality, withinLimit: false, tried };
  let lo = Math.max(1, minQuality);
  let hi = quality - 1;
  let best: { bytes: Buffer; quality: number } | undefined;
  let smallest = { bytes: first, quality };
  while (lo <= hi) {
    const q = Math.floor((lo + hi + 1) / 2);
    const bytes = await encodeAt(q);
    tried.push(q);
    if (bytes.length < smallest.bytes.length) smallest = { bytes, quality: q };
    if (bytes.length <= maxBytes) {
      best = { bytes, quality: q };
      lo = q + 1;
    } else {
      hi = q - 1;
    }
  }
  return best ? { ...best, withinLimit: true, tried } : { ...smallest, withinLimit: false, tried };
}

export interface CompressOptions {
  format: EncodeFormat;
  quality?: number;
  targetSizeKb?: number;
  progressive?: boolean;
  optimize?: boolean;
  /** The answer that will carry the bytes: the result is counted against it. */
  answer?: AnswerBudget;
}

export interface CompressResult {
  bytes: Buffer;
  format: EncodeFormat;
  mime: string;
  width: number;
  height: number;
  originalSizeKb: number;
  compressedSizeKb: number;
  /** Percentage reduction against the upload. */
  compressionRatio: number;
  qualityUsed: number;
  targetMet: boolean;
  metadataStripped: boolean;
}

const kb = (n: number) => Math.round((n / 1024) * 100) / 100;

/** Seed §1.10 `/compress`: re-encode, optionally bisecting quality down to a target size. */
export async function compressImage(image: IngestedImage, o: CompressOptions): Promise<CompressResult> {
  const quality = o.quality ?? DEFAULT_QUALITY[o.format];
  const settings: EncodeSettings = {
    format: o.format,
    quality,
    progressive: o.progressive ?? true,
    optimize: o.optimize ?? true,
  };
  const encodeAt = (q: number) =>
    runEncode(flattenFor(image.sharp(), o.format, image.hasAlpha), { ...settings, quality: q });
  const target = o.targetSizeKb === undefined ? undefined : o.targetSizeKb * 1024;
  countBefore(o.answer, o.format, image);
  // BMP has no quality knob: one encode, and the target is simply met or not.
  const out = await encodeWithinLimit(encodeAt, quality, target, o.format === 'bmp' ? quality : 1);
  countAfter(o.answer, o.format, out.bytes);
  return {
    bytes: out.bytes,
    format: o.format,
    mime: ENCODE_MIME[o.format],
    width: image.width,
    height: image.height,
    originalSizeKb: kb(image.originalBytes),
    compressedSizeKb: kb(out.bytes.length),
    compressionRatio: Math.round((1 - out.bytes.length / image.originalBytes) * 10000) / 100,
    qualityUsed: out.quality,
    targetMet: out.withinLimit,
    metadataStripped: !image.keepMetadata,
  };
}

export interface ConvertOptions {
  format: EncodeFormat;
  quality?: number;
  preserveTransparency?: boolean;
  colorSpace?: ColorSpace;
  progressive?: boolean;
  optimize?: boolean;
  background?: string;
  /** The answer that will carry the bytes: the result is counted against it. */
  answer?: AnswerBudget;
}

export interface ConvertResult {
  bytes: Buffer;
  originalFormat: SniffedFormat;
  format: EncodeFormat;
  mime: string;
  width: number;
  height: number;
  originalSizeKb: number;
  convertedSizeKb: number;
  transparencyPreserved: boolean;
  metadataPreserved: boolean;
  colorSpace: ColorSpace;
}

/** Seed §1.10 `/convert-format`. */
export async function convertImage(image: IngestedImage, o: ConvertOptions): Promise<ConvertResult> {
  const keepAlpha = image.hasAlpha && (o.preserveTransparency ?? true) && ALPHA_FORMATS.has(o.format);
  const colorSpace = o.colorSpace ?? 'srgb';
  let p = image.sharp();
  if (!keepAlpha) p = p.flatten({ background: o.background ?? '#ffffff' });
  if (colorSpace === 'p3') p = p.withIccProfile('p3', { attach: true });
  countBefore(o.answer, o.format, image);
  const bytes = await runEncode(p, {
    format: o.format,
    quality: o.quality ?? DEFAULT_QUALITY[o.format],
    progressive: o.progressive ?? true,
    optimize: o.optimize ?? true,
  });
  countAfter(o.answer, o.format, bytes);
  return {
    bytes,
    originalFormat: image.format,
    format: o.format,
    mime: ENCODE_MIME[o.format],
    width: image.width,
    height: image.height,
    originalSizeKb: kb(image.originalBytes),
    convertedSizeKb: kb(bytes.length),
    transparencyPreserved: keepAlpha,
    metadataPreserved: image.keepMetadata && o.format !== 'bmp',
    colorSpace,
  };
}

/** A BMP's size follows from its pixel count, so an oversized one is refused before it is made. */
function countBefore(answer: AnswerBudget | undefined, format: EncodeFormat, size: Size): void {
  if (format === 'bmp') answer?.add(bmpFileSize(size.width, size.height));
}

function countAfter(answer: AnswerBudget | undefined, format: EncodeFormat, bytes: Buffer): void {
  if (format !== 'bmp') answer?.add(bytes.length);
}

/** JPEG and BMP have no alpha: composite onto white, as the seed did. */
export function flattenFor(p: Sharp, format: EncodeFormat, hasAlpha: boolean, background = '#ffffff'): Sharp {
  return hasAlpha && !ALPHA_FORMATS.has(format) ? p.flatten({ background }) : p;
}
