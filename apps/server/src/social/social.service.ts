import sharp, { type OverlayOptions, type Sharp } from 'sharp';
import {
  DEFAULT_QUALITY,
  ENCODE_MIME,
  type EncodeSettings,
  encodeWithinLimit,
  runEncode,
} from '../imaging/encode.ts';
import type { FaceBox, FaceDetector } from '../imaging/faces.ts';
import type { Rect, Size } from '../imaging/geometry.ts';
import type { IngestedImage, RawImage } from '../imaging/ingest.ts';
import type { CropMode, CropPlan, CropStrategy, FocalPoint } from '../imaging/smart-crop.ts';
import { analyseSubjects, planFor, type SubjectAnalysis } from '../imaging/subjects.ts';
import { mapLimited } from '../util/map-limited.ts';
import { findPlatform, type PlatformFormat, type SafeZone } from './platforms.ts';
import { overlaySvg, safeRect } from './safe-zones.ts';

export type SocialOutputFormat = 'jpeg' | 'png' | 'webp' | 'avif';
export type FitBackground = 'blur' | 'color' | 'extend';

export interface OptimizeRequest {
  formats: readonly PlatformFormat[];
  cropMode: CropMode;
  focalPoint?: FocalPoint;
  outputFormat: SocialOutputFormat;
  /** 1–100; defaults per format (JPEG 85, WebP 82, AVIF 60, PNG lossless). */
  quality?: number;
  fitBackground?: FitBackground;
  /** Padding colour for `fit` with `color`, and the matte behind transparency in JPEG. */
  backgroundColor?: string;
  /** Draw the safe-zone overlay into the exported image (the seed always did). */
  burnSafeZones?: boolean;
  /** Also render a small separate preview with the overlay. */
  preview?: boolean;
}

export interface OptimizedImage {
  format: PlatformFormat;
  bytes: Buffer;
  mime: string;
  extension: string;
  width: number;
  height: number;
  /** The part of the source used, in source pixels. For `fit`, the whole image. */
  crop: Rect;
  strategy: CropStrategy;
  /** Subject boxes (source pixels) the crop decision used. */
  subjects: Rect[];
  /** For `fit`: where the image sits in the output, in output pixels. */
  placement?: Rect;
  safeZone: SafeZone;
  /** The safe area in output pixels. */
  safeRect: Rect;
  requestedQuality: number;
  quality: number;
  qualityReduced: boolean;
  maxBytes: number;
  withinLimit: boolean;
  warnings: string[];
  /** JPEG, long side ≤ PREVIEW_LONG_SIDE, with the safe-zone overlay drawn. */
  preview?: Buffer;
  /**
   * The same picture rendered smaller from the shared decode, as the export shows it (burned zones
   * included): thumbnails come from here instead of decoding the encoded output again.
   */
  drawAt(size: Size): Promise<Sharp>;
}

export interface OptimizeResult {
  outputs: OptimizedImage[];
  /** Faces found in the source (source pixels); empty when none or when detection was not needed. */
  faces: FaceBox[];
  /** The salient region found (source pixels), if any. */
  salient?: Rect;
  /** How the source was decoded: once, at this scale. */
  decode: { scale: number; width: number; height: number };
  /**
   * The whole source from the shared decode, when it shows the source as it is (no transparency
   * flattened) at `minLongSide` or more; otherwise undefined and the caller decodes the bytes.
   */
  sourcePixels(minLongSide: number): Sharp | undefined;
}

export interface SocialServiceDeps {
  faces: FaceDetector;
}

export const PREVIEW_LONG_SIDE = 540;

/**
 * Outputs rendered at once per export. Every sharp call waits in libuv's four-thread pool, which
 * file reads and health checks share; an export that queued all 20 renders at once held them up
 * behind its whole batch. libvips still spreads each render over the cores.
 */
const RENDER_CONCURRENCY = 3;

/** Quality floors when stepping down to meet a file-size limit; below these images fall apart. */
const MIN_QUALITY: Record<SocialOutputFormat, number> = { jpeg: 40, webp: 40, avif: 25, png: 10 };

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(bytes < 1024 * 1024 ? 2 : 1)} MB`;

/**
 * Social Optimizer: one source into many platform formats. The source is decoded once, shrunk on
 * load to the largest scale any requested output needs, and every output (and the face and
 * saliency analysis) is cut from that shared buffer; identical renders (same crop and size) are
 * encoded once and shared between formats.
 */
export class SocialService {
  constructor(private readonly deps: SocialServiceDeps) {}

  async optimize(image: IngestedImage, req: OptimizeRequest): Promise<OptimizeResult> {
    const source: Size = { width: image.width, height: image.height };
    // JPEG has no alpha: flatten once at decode rather than once per output.
    const matte = req.outputFormat === 'jpeg' ? (req.backgroundColor ?? '#ffffff') : undefined;
    const raw = await image.decodeRaw(decodeScale(source, req), matte);
    const needsAnalysis = req.cropMode === 'smart' && !req.focalPoint;
    const analysis = needsAnalysis ? await analyseSubjects(raw, this.deps.faces) : undefined;

    const renders = new Map<string, (q: number) => Promise<Buffer>>();
    const outputs = await mapLimited(req.formats, RENDER_CONCURRENCY, (format) =>
      this.render(image, raw, format, req, analysis, renders),
    );
    return {
      outputs,
      faces: analysis?.faces ?? [],
      ...(analysis?.salient ? { salient: analysis.salient } : {}),
      decode: { scale: raw.scale, width: raw.width, height: raw.height },
      sourcePixels: (minLongSide) =>
        image.hasAlpha || Math.max(raw.width, raw.height) < minLongSide
          ? undefined
          : sharp(raw.data, { raw: { width: raw.width, height: raw.height, channels: raw.channels } }),
    };
  }

  private async render(
    image: IngestedImage,
    raw: RawImage,
    format: PlatformFormat,
    req: OptimizeRequest,
    analysis: SubjectAnalysis | undefined,
    renders: Map<string, (q: number) => Promise<Buffer>>,
  ): Promise<OptimizedImage> {
    const target: Size = { width: format.width, height: format.height };
    const source: Size = { width: image.width, height: image.height };
    const plan = planFor(source, target, req.cropMode, analysis, req.focalPoint);
    const safe = safeRect(target, format.safeZone);
    const out = req.outputFormat;
    const requestedQuality = Math.round(Math.min(100, Math.max(1, req.quality ?? DEFAULT_QUALITY[out])));
    const background = req.backgroundColor ?? '#ffffff';
    const draw = async (size: Size, zone: Rect | undefined): Promise<Sharp> => {
      const scaled = size.width === target.width ? plan : scalePlacement(plan, size.width / target.width);
      const { base, layers } = await pixels(raw, scaled, size, req.fitBackground ?? 'color', background);
      const all = zone ? [...layers, { input: overlaySvg(size, zone) }] : layers;
      return all.length > 0 ? base.composite(all) : base;
    };

    const key = JSON.stringify([plan.crop, plan.placement, target, req.burnSafeZones ? safe : null]);
    let encodeAt = renders.get(key);
    if (!encodeAt) {
      const byQuality = new Map<number, Promise<Buffer>>();
      const settings: EncodeSettings = { format: out, quality: requestedQuality };
      encodeAt = (q: number) => {
        let p = byQuality.get(q);
        if (!p) {
          p = draw(target, req.burnSafeZones ? safe : undefined).then((d) =>
            runEncode(d, { ...settings, quality: q }),
          );
          byQuality.set(q, p);
        }
        return p;
      };
      renders.set(key, encodeAt);
    }
    const minQuality = Math.min(requestedQuality, MIN_QUALITY[out]);
    const [encoded, preview] = await Promise.all([
      encodeWithinLimit(encodeAt, requestedQuality, format.maxBytes, minQuality),
      req.preview ? renderPreview(draw, target, safe) : Promise.resolve(undefined),
    ]);
    const drawAt = (size: Size) =>
      draw(size, req.burnSafeZones ? scaleRect(safe, size.width / target.width) : undefined);

    return {
      format,
      bytes: encoded.bytes,
      mime: ENCODE_MIME[out],
      extension: out === 'jpeg' ? 'jpg' : out,
      width: target.width,
      height: target.height,
      crop: plan.crop,
      strategy: plan.strategy,
      subjects: plan.subjects.map(roundBox),
      ...(plan.placement ? { placement: plan.placement } : {}),
      safeZone: format.safeZone,
      safeRect: safe,
      requestedQuality,
      quality: encoded.quality,
      qualityReduced: encoded.quality < requestedQuality,
      maxBytes: format.maxBytes,
      withinLimit: encoded.withinLimit,
      warnings: warningsFor(format, plan, analysis?.faces ?? [], out, requestedQuality, encoded),
      ...(preview ? { preview } : {}),
      drawAt,
    };
  }
}

/** The largest output-per-source scale any requested format needs: decoding finer is wasted. */
export function decodeScale(source: Size, req: Pick<OptimizeRequest, 'formats' | 'cropMode'>): number {
  let scale = 0;
  for (const f of req.formats) {
    const s =
      req.cropMode === 'fit'
        ? Math.min(f.width / source.width, f.height / source.height)
        : Math.max(f.width / source.width, f.height / source.height);
    scale = Math.max(scale, s);
  }
  return Math.min(1, scale);
}

interface Layers {
  base: Sharp;
  layers: OverlayOptions[];
}

/** The output's pixels as a pipeline over the shared decoded buffer (no copy) plus layers on top. */
async function pixels(
  raw: RawImage,
  plan: CropPlan,
  target: Size,
  bg: FitBackground,
  color: string,
): Promise<Layers> {
  const rawInfo = { width: raw.width, height: raw.height, channels: raw.channels };
  const input = () => sharp(raw.data, { raw: rawInfo });
  if (!plan.placement) {
    const s = raw.scale;
    const left = Math.min(raw.width - 1, Math.round(plan.crop.left * s));
    const top = Math.min(raw.height - 1, Math.round(plan.crop.top * s));
    const width = Math.max(1, Math.min(raw.width - left, Math.round(plan.crop.width * s)));
    const height = Math.max(1, Math.min(raw.height - top, Math.round(plan.crop.height * s)));
    return {
      base: input()
        .extract({ left, top, width, height })
        .resize(target.width, target.height, { fit: 'fill' }),
      layers: [],
    };
  }
  const p = plan.placement;
  const pad = {
    top: p.top,
    left: p.left,
    bottom: target.height - p.top - p.height,
    right: target.width - p.left - p.width,
  };
  const fitted = input().resize(p.width, p.height, { fit: 'fill' });
  if (bg === 'color') return { base: fitted.extend({ ...pad, background: color }), layers: [] };
  if (bg === 'extend') return { base: fitted.extend({ ...pad, extendWith: 'copy' }), layers: [] };
  // Blur: the image itself covering the frame, blurred small (cheap) and dimmed, under the fitted image.
  const small = {
    width: Math.max(1, Math.round(target.width / 8)),
    height: Math.max(1, Math.round(target.height / 8)),
  };
  const [backdrop, front] = await Promise.all([
    input()
      .resize(small.width, small.height, { fit: 'cover' })
      .blur(3)
      .linear(0.8, 0)
      .raw()
      .toBuffer({ resolveWithObject: true }),
    fitted.raw().toBuffer({ resolveWithObject: true }),
  ]);
  return {
    base: sharp(backdrop.data, { raw: backdrop.info }).resize(target.width, target.height, { fit: 'fill' }),
    layers: [{ input: front.data, raw: front.info, left: p.left, top: p.top }],
  };
}

async function renderPreview(
  draw: (size: Size, zone: Rect | undefined) => Promise<Sharp>,
  target: Size,
  safe: Rect,
): Promise<Buffer> {
  const k = Math.min(1, PREVIEW_LONG_SIDE / Math.max(target.width, target.height));
  const size = {
    width: Math.max(1, Math.round(target.width * k)),
    height: Math.max(1, Math.round(target.height * k)),
  };
  return (await draw(size, scaleRect(safe, k))).jpeg({ quality: 80 }).toBuffer();
}

const scaleRect = (r: Rect, k: number): Rect => ({
  left: Math.round(r.left * k),
  top: Math.round(r.top * k),
  width: Math.round(r.width * k),
  height: Math.round(r.height * k),
});

/** A fit plan for a smaller rendering of the same output (the preview). */
function scalePlacement(plan: CropPlan, k: number): CropPlan {
  if (!plan.placement) return plan;
  const p = plan.placement;
  return {
    ...plan,
    placement: {
      left: Math.round(p.left * k),
      top: Math.round(p.top * k),
      width: Math.max(1, Math.round(p.width * k)),
      height: Math.max(1, Math.round(p.height * k)),
    },
  };
}

const roundBox = (r: Rect): Rect => ({
  left: Math.round(r.left),
  top: Math.round(r.top),
  width: Math.round(r.width),
  height: Math.round(r.height),
});

function warningsFor(
  format: PlatformFormat,
  plan: CropPlan,
  faces: readonly FaceBox[],
  out: SocialOutputFormat,
  requestedQuality: number,
  encoded: { bytes: Buffer; quality: number; withinLimit: boolean },
): string[] {
  const warnings: string[] = [];
  const platform = findPlatform(format.platform);
  const name = platform?.displayName ?? format.platform;
  if (!format.fileTypes.includes(out)) {
    warnings.push(
      `${name} does not accept ${out.toUpperCase()} uploads for ${format.name} (accepted: ${format.fileTypes.join(', ').toUpperCase()}).`,
    );
  }
  if (!plan.placement && (plan.crop.width < format.width || plan.crop.height < format.height)) {
    warnings.push(
      `Enlarged: the source area is ${plan.crop.width}×${plan.crop.height}, smaller than ${format.width}×${format.height}.`,
    );
  }
  if (encoded.withinLimit && encoded.quality < requestedQuality) {
    warnings.push(
      `Quality lowered from ${requestedQuality} to ${encoded.quality} to stay under the ${mb(format.maxBytes)} limit.`,
    );
  }
  if (!encoded.withinLimit) {
    warnings.push(
      `${mb(encoded.bytes.length)} even at quality ${encoded.quality}: over the ${mb(format.maxBytes)} limit of ${name} ${format.name}.`,
    );
  }
  if (plan.strategy === 'faces' || plan.strategy === 'focal_point') {
    const c = plan.crop;
    const cut = faces.some((f) => {
      const ox = Math.min(c.left + c.width, f.left + f.width) - Math.max(c.left, f.left);
      const oy = Math.min(c.top + c.height, f.top + f.height) - Math.max(c.top, f.top);
      return ox > 0 && oy > 0 && (ox < f.width - 1 || oy < f.height - 1);
    });
    if (cut) warnings.push('A face could not be kept whole in this format.');
  }
  return warnings;
}
