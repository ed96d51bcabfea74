import sharp, { type Metadata, type Sharp, type SharpOptions } from 'sharp';
import { isAppError } from '../errors.ts';
import { decodeBase64Image } from './base64.ts';
import {
  fileTooLarge,
  invalidImage,
  tooManyFrames,
  tooManyPixels,
  unsupportedImageType,
} from './image-errors.ts';
import { decodeAtDctScale } from './jpeg-dct.ts';
import { orientPixels } from './raw-orient.ts';
import { describeUnknown, MIME_OF, type SniffedFormat, sniffFormat, trailingBytes } from './sniff.ts';
import { assertSafeSvg } from './svg.ts';

/*
 * Defence in depth: the sniffer already refuses every other type, but libvips would happily parse
 * PDFs, FITS, matrix files and more if something ever handed it one directly.
 */
sharp.block({
  operation: [
    'VipsForeignLoadPdf',
    'VipsForeignLoadMagick',
    'VipsForeignLoadOpenslide',
    'VipsForeignLoadFits',
    'VipsForeignLoadPpm',
    'VipsForeignLoadVips',
    'VipsForeignLoadJp2k',
    'VipsForeignLoadJxl',
    'VipsForeignLoadRad',
    'VipsForeignLoadMatrix',
    'VipsForeignLoadCsv',
    'VipsForeignLoadAnalyze',
    'VipsForeignLoadRaw',
    'VipsForeignLoadMat',
    'VipsForeignLoadNifti',
    'VipsForeignLoadDcraw',
  ],
});

export interface IngestLimits {
  maxUploadBytes: number;
  maxInputPixels: number;
}

export interface IngestOptions {
  limits: IngestLimits;
  /** Keep EXIF/XMP/IPTC in outputs made from this image (default: strip). */
  keepMetadata?: boolean;
  /**
   * Decode the whole file once at ingest (cheaply, at a reduced scale where the codec allows) so
   * truncated or corrupt files fail here with 400. Callers that decode through `decodeRaw`, which
   * maps decode failures itself, can skip it.
   */
  verify?: boolean;
}

/** What decoded pixels are for: drawn into outputs, or only looked at by the detectors. */
export type DecodePurpose = 'render' | 'analysis';

/** Pixels decoded once, in sRGB, oriented; `scale` is raw pixels per source pixel. */
export interface RawImage {
  data: Buffer;
  width: number;
  height: number;
  channels: 3 | 4;
  scale: number;
}

export interface IngestedImage {
  /** What sharp reads: the upload itself, or for SVG the sanitized rasterization (PNG). */
  readonly bytes: Buffer;
  /** The format of the upload, decided by its bytes. */
  readonly format: SniffedFormat;
  readonly mime: string;
  /** Size after EXIF orientation. */
  readonly width: number;
  readonly height: number;
  readonly hasAlpha: boolean;
  /** Size of the upload in bytes. */
  readonly originalBytes: number;
  readonly keepMetadata: boolean;
  /** A fresh pipeline: oriented, sRGB, pixel limit enforced, metadata per `keepMetadata`. */
  sharp(): Sharp;
  /**
   * One decode into raw pixels, shrunk on load when `scale` < 1; with `background`, transparency is
   * flattened onto that colour (3 channels). Decode failures become 400. For `analysis` (detection
   * and saliency, never drawn) a JPEG at a DCT scale decodes through TurboJPEG where installed:
   * block means instead of libvips' Lanczos resize, in 0.74× the time (see `jpeg-dct.ts`).
   */
  decodeRaw(scale?: number, background?: string, purpose?: DecodePurpose): Promise<RawImage>;
}

/** Smallest long side an SVG is rasterized at, so icons become usable bitmaps. */
const SVG_MIN_LONG_SIDE = 1024;

export async function ingestBase64(input: string, options: IngestOptions): Promise<IngestedImage> {
  const { bytes } = decodeBase64Image(input, options.limits.maxUploadBytes);
  return ingestBytes(bytes, options);
}

export async function ingestBytes(upload: Buffer, options: IngestOptions): Promise<IngestedImage> {
  const { limits } = options;
  if (upload.length === 0) throw invalidImage('The image is empty (0 bytes).');
  if (upload.length > limits.maxUploadBytes) throw fileTooLarge(upload.length, limits.maxUploadBytes);
  const format = sniffFormat(upload);
  if (!format) throw unsupportedImageType(describeUnknown(upload));
  const trailing = trailingBytes(format, upload);
  if (trailing > 0) {
    throw invalidImage(
      `The file carries ${trailing} bytes after the end of its ${format.toUpperCase()} image; re-save the image and try again.`,
      { trailing_bytes: trailing },
    );
  }

  const bytes = format === 'svg' ? await rasterizeSvg(upload, limits.maxInputPixels) : upload;
  const meta = await readHeader(bytes);
  const swap = (meta.orientation ?? 1) >= 5;
  const width = swap ? meta.height : meta.width;
  const height = swap ? meta.width : meta.height;
  if (width * height > limits.maxInputPixels) throw tooManyPixels(width, height, limits.maxInputPixels);
  // Only the first frame is used, but reading an animation parses every frame: all of them count.
  const frames = meta.pages ?? 1;
  if (width * height * frames > limits.maxInputPixels) {
    throw tooManyFrames(width, height, frames, limits.maxInputPixels);
  }

  const keepMetadata = options.keepMetadata ?? false;
  const loadOptions: SharpOptions = { failOn: 'error', limitInputPixels: limits.maxInputPixels };
  const pipeline = () => {
    const p = sharp(bytes, loadOptions).autoOrient();
    return keepMetadata ? p.withMetadata() : p;
  };
  const image: IngestedImage = {
    bytes,
    format,
    mime: MIME_OF[format],
    width,
    height,
    hasAlpha: meta.hasAlpha === true,
    originalBytes: upload.length,
    keepMetadata,
    sharp: pipeline,
    decodeRaw: async (scale = 1, background?: string, purpose: DecodePurpose = 'render') => {
      // An embedded profile is converted to sRGB by libvips; TurboJPEG would leave it as stored.
      const dct =
        purpose === 'analysis' && format === 'jpeg' && !meta.icc
          ? await decodeAtDctScale(bytes, meta, scale)
          : undefined;
      if (dct) {
        const upright = orientPixels(dct, meta.orientation ?? 1, 3);
        return { ...upright, channels: 3, scale: upright.width / width };
      }
      return decodeRaw(
        () => sharp(bytes, loadOptions).autoOrient(),
        width,
        height,
        meta.hasAlpha === true,
        scale,
        background,
      );
    },
  };
  if (options.verify ?? true) await verifyDecodes(bytes, loadOptions);
  return image;
}

async function readHeader(bytes: Buffer): Promise<Metadata & { width: number; height: number }> {
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { failOn: 'error', limitInputPixels: false }).metadata();
  } catch (e) {
    throw invalidImage('The image header is corrupt or unreadable.', { reason: errorText(e) });
  }
  const { width, height } = meta;
  if (!width || !height) throw invalidImage('The image has no dimensions.');
  return { ...meta, width, height };
}

async function verifyDecodes(bytes: Buffer, loadOptions: SharpOptions): Promise<void> {
  try {
    await sharp(bytes, loadOptions).resize(64, 64, { fit: 'inside' }).raw().toBuffer();
  } catch (e) {
    throw decodeFailure(e);
  }
}

async function decodeRaw(
  load: () => Sharp,
  width: number,
  height: number,
  hasAlpha: boolean,
  scale: number,
  background: string | undefined,
): Promise<RawImage> {
  const s = Math.min(1, scale);
  const alpha = hasAlpha && background === undefined;
  let p = load();
  if (hasAlpha && background !== undefined) p = p.flatten({ background });
  const w = Math.max(1, Math.round(width * s));
  const h = Math.max(1, Math.round(height * s));
  if (s < 1) p = p.resize(w, h, { fit: 'fill' });
  p = p.toColourspace('srgb');
  p = alpha ? p.ensureAlpha() : p.removeAlpha();
  try {
    const { data, info } = await p.raw().toBuffer({ resolveWithObject: true });
    return {
      data,
      width: info.width,
      height: info.height,
      channels: alpha ? 4 : 3,
      scale: info.width / width,
    };
  } catch (e) {
    throw decodeFailure(e);
  }
}

async function rasterizeSvg(upload: Buffer, maxPixels: number): Promise<Buffer> {
  const text = assertSafeSvg(upload.toString('utf8'));
  const svg = Buffer.from(text, 'utf8');
  const meta = await readHeader(svg);
  if (meta.width * meta.height > maxPixels) throw tooManyPixels(meta.width, meta.height, maxPixels);
  const grow = SVG_MIN_LONG_SIDE / Math.max(meta.width, meta.height);
  const fitLimit = Math.sqrt(maxPixels / (meta.width * meta.height));
  const scale = Math.max(1, Math.min(grow, fitLimit));
  try {
    return await sharp(svg, { density: 72 * scale, failOn: 'error', limitInputPixels: maxPixels })
      .png()
      .toBuffer();
  } catch (e) {
    throw decodeFailure(e);
  }
}

/** Turns a libvips decode error into the client-facing 400, passing AppErrors through. */
export function decodeFailure(e: unknown) {
  if (isAppError(e)) return e;
  return invalidImage('The image is truncated or corrupt and cannot be decoded.', { reason: errorText(e) });
}

const errorText = (e: unknown) => (e instanceof Error ? e.message.split('\n')[0] : String(e));
