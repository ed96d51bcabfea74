import { fitByteBudget } from '../imaging/byte-budget.ts';
import { DEFAULT_QUALITY, ENCODE_MIME } from '../imaging/encode.ts';
import type { DetectOptions, FaceBox, FaceDetector } from '../imaging/faces.ts';
import type { Rect, Size } from '../imaging/geometry.ts';
import type { IngestedImage, RawImage } from '../imaging/ingest.ts';
import type { CropMode, CropPlan, CropStrategy, FocalPoint } from '../imaging/smart-crop.ts';
import {
  type FitBackground,
  OutputPainter,
  type RawFrame,
  scaleRect,
  sourceFrame,
} from '../imaging/social-render.ts';
import type { Subject } from '../imaging/subject-boxes.ts';
import { analyseSubjects, analysisScale, planFor, type SubjectAnalysis } from '../imaging/subjects.ts';
import { mapLimited } from '../util/map-limited.ts';
import { AnalysisCache } from './analysis-cache.ts';
import { BandQueue } from './bands.ts';
import type { PlatformFormat, SafeZone } from './platforms.ts';
import { overlaySvg, safeRect } from './safe-zones.ts';
import { outputWarnings, overLimitMessage } from './warnings.ts';

export type SocialOutputFormat = 'jpeg' | 'png' | 'webp' | 'avif';
export type { FitBackground };

export interface OptimizeRequest {
  formats: readonly PlatformFormat[];
  cropMode: CropMode;
  focalPoint?: FocalPoint;
  /** Crops chosen by the caller (format id → rectangle in source pixels), already validated. */
  crops?: ReadonlyMap<string, Rect>;
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

/** Where an output's picture comes from, decided before anything is encoded. */
export interface PlannedOutput {
  format: PlatformFormat;
  /** The part of the source used, in source pixels. For `fit`, the whole image. */
  crop: Rect;
  strategy: CropStrategy;
  /** Subject boxes (source pixels) the crop decision used. */
  subjects: Rect[];
  /** For `subjects`: which subjects were kept whole and which were cut. */
  note?: string;
  /** For `fit`: where the image sits in the output, in output pixels. */
  placement?: Rect;
  safeZone: SafeZone;
  /** The safe area in output pixels. */
  safeRect: Rect;
}

export interface OptimizedImage extends PlannedOutput {
  bytes: Buffer;
  encoding: SocialOutputFormat;
  mime: string;
  extension: string;
  width: number;
  height: number;
  requestedQuality: number;
  quality: number;
  qualityReduced: boolean;
  maxBytes: number;
  /** Encodes spent meeting the byte limit (1 when the first one fit). */
  encodes: number;
  warnings: string[];
  /** JPEG, long side ≤ PREVIEW_LONG_SIDE, with the safe-zone overlay drawn. */
  preview?: Buffer;
  /** The same picture rendered smaller from the shared decode, as the export shows it. */
  rawAt(size: Size): Promise<RawFrame>;
}

/** An output no accepted format, quality or size could bring under its byte limit. */
export interface FailedOutput {
  format: PlatformFormat;
  code: 'over_size_limit';
  message: string;
  smallestBytes: number;
}

export interface OptimizeResult {
  outputs: OptimizedImage[];
  failures: FailedOutput[];
  /** Faces found in the source (source pixels); empty when none or when detection was not needed. */
  faces: FaceBox[];
  /** People, animals and objects found, most important first; empty when detection was not needed. */
  subjects: Subject[];
  /** How the source was decoded: once, at this scale. */
  decode: { scale: number; width: number; height: number };
  /**
   * The whole source at `size` from the shared decode, when it shows the source as it is (no
   * transparency flattened, decoded at least that large); otherwise undefined.
   */
  sourceRaw(size: Size): Promise<RawFrame> | undefined;
}

export interface PreviewResult {
  outputs: PlannedOutput[];
  faces: FaceBox[];
  subjects: Subject[];
  decode: { scale: number; width: number; height: number };
}

export interface SocialServiceDeps {
  faces: FaceDetector;
  analyses?: AnalysisCache;
}

export const PREVIEW_LONG_SIDE = 540;

/**
 * Outputs rendered at once per export. Every sharp call waits in libuv's four-thread pool, which
 * file reads and health checks share; an export that queued all its renders at once held them up.
 */
const RENDER_CONCURRENCY = 3;

/** Quality floors when stepping down to meet a file-size limit; below these images fall apart. */
const MIN_QUALITY: Record<SocialOutputFormat, number> = { jpeg: 40, webp: 40, avif: 25, png: 10 };
const LOSSY_FALLBACKS: readonly SocialOutputFormat[] = ['jpeg', 'webp'];
/** Codecs libvips decodes at a fraction of the size directly (JPEG DCT scaling, WebP scaled decode). */
const SHRINKS_ON_LOAD: ReadonlySet<string> = new Set(['jpeg', 'webp']);

/**
 * Social Optimizer: one source into many platform formats. The source is decoded once, shrunk on
 * load to the largest scale any requested output needs, and every output (and the face and
 * saliency analysis) is cut from that shared buffer; identical renders (same crop and size) are
 * encoded once and shared between formats. Every output meets its format's byte limit or fails.
 */
export class SocialService {
  private readonly analyses: AnalysisCache;

  constructor(private readonly deps: SocialServiceDeps) {
    this.analyses = deps.analyses ?? new AnalysisCache();
  }

  /**
   * The crops an export would use, from a decode at analysis size: no output is drawn or encoded.
   * `smaller` decodes a stored smaller copy of the same picture (a library image's large
   * thumbnail) at analysis size, so the full-size source is not decoded again. Nothing of the
   * preview runs beside its analysis (an export decodes the full image meanwhile): `detect` says
   * whether the server has cores to spare for it.
   */
  async preview(
    image: IngestedImage,
    req: OptimizeRequest,
    smaller?: (longSide: number) => Promise<RawImage | undefined>,
    detect: DetectOptions = {},
  ): Promise<PreviewResult> {
    const key = AnalysisCache.keyOf(image.bytes);
    const cached = this.analyses.get(key);
    const needsAnalysis = this.needsAnalysis(req);
    let analysis = needsAnalysis ? cached : undefined;
    let decode = { scale: 0, width: 0, height: 0 };
    if (needsAnalysis && !analysis) {
      // A stored smaller copy is decoded to the size the source itself would be analysed at.
      const scale = analysisScale(image);
      const longSide = Math.round(scale * Math.max(image.width, image.height));
      const raw = (await smaller?.(longSide)) ?? (await image.decodeRaw(scale, '#ffffff', 'analysis'));
      analysis = await analyseSubjects(raw, this.deps.faces, detect);
      this.analyses.set(key, analysis);
      decode = { scale: raw.scale, width: raw.width, height: raw.height };
    }
    return {
      outputs: req.formats.map((f) => this.plan(image, f, req, analysis)),
      faces: analysis?.faces ?? [],
      subjects: analysis?.subjects ?? [],
      decode,
    };
  }

  async optimize(image: IngestedImage, req: OptimizeRequest): Promise<OptimizeResult> {
    // JPEG has no alpha: flatten once at decode rather than once per output.
    const matte = req.outputFormat === 'jpeg' ? (req.backgroundColor ?? '#ffffff') : undefined;
    const scale = decodeScale(image, req);
    const decoded = image.decodeRaw(scale, matte);
    const key = this.needsAnalysis(req) ? AnalysisCache.keyOf(image.bytes) : undefined;
    const cached = key ? this.analyses.get(key) : undefined;
    const bands =
      key && !cached
        ? new BandQueue(
            image,
            req.formats.filter((f) => !req.crops?.has(f.id)),
            scale,
          )
        : undefined;
    bands?.start(decoded);
    const [raw, analysis] = await Promise.all([
      decoded,
      cached ?? (key ? this.analysisFor(image, decoded, key) : undefined),
    ]).finally(() => bands?.stop());
    const renders = new Map<string, Map<string, Promise<Buffer>>>();
    const rendered = await mapLimited(req.formats, RENDER_CONCURRENCY, async (format) => {
      const planned = this.plan(image, format, req, analysis);
      const pixels = (await bands?.bandFor(format.id, planned.crop)) ?? raw;
      return this.render(pixels, planned, req, analysis, renders);
    });
    return {
      outputs: rendered.filter((r): r is OptimizedImage => !('code' in r)),
      failures: rendered.filter((r): r is FailedOutput => 'code' in r),
      faces: analysis?.faces ?? [],
      subjects: analysis?.subjects ?? [],
      decode: { scale: raw.scale, width: raw.width, height: raw.height },
      sourceRaw: (size) =>
        image.hasAlpha || raw.width < size.width || raw.height < size.height
          ? undefined
          : sourceFrame(raw, size),
    };
  }

  /**
   * An analysis made while the full decode runs: a JPEG or WebP shrinks on load
   * to analysis size for a fraction of a full decode (the very pixels a preview analyses); other
   * formats would decode in full twice, so they share the one decode.
   */
  private async analysisFor(
    image: IngestedImage,
    decoded: Promise<RawImage>,
    key: string,
  ): Promise<SubjectAnalysis> {
    const pixels = SHRINKS_ON_LOAD.has(image.format)
      ? image.decodeRaw(analysisScale(image), '#ffffff', 'analysis')
      : decoded;
    const analysis = await analyseSubjects(await pixels, this.deps.faces);
    this.analyses.set(key, analysis);
    return analysis;
  }

  private needsAnalysis(req: OptimizeRequest): boolean {
    const unset = req.formats.some((f) => !req.crops?.has(f.id));
    return unset && req.cropMode === 'smart' && !req.focalPoint;
  }

  private plan(
    image: Size,
    format: PlatformFormat,
    req: OptimizeRequest,
    analysis: SubjectAnalysis | undefined,
  ): PlannedOutput {
    const target: Size = { width: format.width, height: format.height };
    const given = req.crops?.get(format.id);
    const plan: CropPlan = given
      ? { crop: given, strategy: 'manual', subjects: [] }
      : planFor(image, target, req.cropMode, analysis, req.focalPoint);
    return {
      format,
      crop: plan.crop,
      strategy: plan.strategy,
      subjects: plan.subjects.map(roundBox),
      ...(plan.note ? { note: plan.note } : {}),
      ...(plan.placement ? { placement: plan.placement } : {}),
      safeZone: format.safeZone,
      safeRect: safeRect(target, format.safeZone),
    };
  }

  private async render(
    raw: RawImage,
    planned: PlannedOutput,
    req: OptimizeRequest,
    analysis: SubjectAnalysis | undefined,
    renders: Map<string, Map<string, Promise<Buffer>>>,
  ): Promise<OptimizedImage | FailedOutput> {
    const { format } = planned;
    const target: Size = { width: format.width, height: format.height };
    const out = req.outputFormat;
    const requestedQuality = Math.round(Math.min(100, Math.max(1, req.quality ?? DEFAULT_QUALITY[out])));
    const background = req.backgroundColor ?? '#ffffff';
    const plan: CropPlan = {
      crop: planned.crop,
      strategy: planned.strategy,
      subjects: planned.subjects,
      ...(planned.placement ? { placement: planned.placement } : {}),
    };
    const painter = new OutputPainter(raw, plan, target, {
      background: req.fitBackground ?? 'color',
      color: background,
      matte: background,
    });
    const burn = req.burnSafeZones === true;
    const overlayAt = (size: Size) =>
      overlaySvg(size, scaleRect(planned.safeRect, size.width / target.width));

    const key = JSON.stringify([plan.crop, plan.placement, target, burn]);
    let encodes = renders.get(key);
    if (!encodes) {
      encodes = new Map();
      renders.set(key, encodes);
    }
    const cache = encodes;
    const sizeAt = (scale: number): Size =>
      scale === 1
        ? target
        : { width: Math.round(target.width * scale), height: Math.round(target.height * scale) };
    const fallbacks = LOSSY_FALLBACKS.filter((f) => f !== out && format.fileTypes.includes(f));
    const [budget, preview] = await Promise.all([
      fitByteBudget(
        (a) => {
          const k = `${a.format}:${a.quality}:${a.scale}:${a.standardTables === true}`;
          let p = cache.get(k);
          if (!p) {
            const size = sizeAt(a.scale);
            p = painter.encode(
              size,
              { format: a.format, quality: a.quality, standardTables: a.standardTables === true },
              burn ? overlayAt(size) : undefined,
            );
            cache.set(k, p);
          }
          return p;
        },
        {
          format: out,
          quality: requestedQuality,
          maxBytes: format.maxBytes,
          minQuality: (f) => MIN_QUALITY[f],
          fallbackFormats: out === 'png' ? fallbacks : [],
          minScale: format.minWidth ? format.minWidth / format.width : 1,
        },
      ),
      req.preview ? painter.previewJpeg(previewSize(target), overlayAt(previewSize(target))) : undefined,
    ]);
    if (!budget.withinLimit) {
      return {
        format,
        code: 'over_size_limit',
        message: overLimitMessage(format, budget),
        smallestBytes: budget.bytes.length,
      };
    }
    const size = sizeAt(budget.scale);
    const encoding = budget.format;
    return {
      ...planned,
      bytes: budget.bytes,
      encoding,
      mime: ENCODE_MIME[encoding],
      extension: encoding === 'jpeg' ? 'jpg' : encoding,
      width: size.width,
      height: size.height,
      safeRect: size === target ? planned.safeRect : safeRect(size, format.safeZone),
      requestedQuality,
      quality: budget.quality,
      qualityReduced: budget.format === out && budget.quality < requestedQuality,
      maxBytes: format.maxBytes,
      encodes: budget.encodes,
      warnings: outputWarnings(planned, analysis?.faces ?? [], out, requestedQuality, budget, size),
      ...(preview ? { preview } : {}),
      rawAt: (s: Size) => painter.rawAt(s, burn ? overlayAt(s) : undefined),
    };
  }
}

/** The largest output-per-source scale any requested format needs: decoding finer is wasted. */
export function decodeScale(
  source: Size,
  req: Pick<OptimizeRequest, 'formats' | 'cropMode' | 'crops'>,
): number {
  let scale = 0;
  for (const f of req.formats) {
    const given = req.crops?.get(f.id);
    const s = given
      ? Math.max(f.width / given.width, f.height / given.height)
      : req.cropMode === 'fit'
        ? Math.min(f.width / source.width, f.height / source.height)
        : Math.max(f.width / source.width, f.height / source.height);
    scale = Math.max(scale, s);
  }
  return Math.min(1, scale);
}

function previewSize(target: Size): Size {
  const k = Math.min(1, PREVIEW_LONG_SIDE / Math.max(target.width, target.height));
  return {
    width: Math.max(1, Math.round(target.width * k)),
    height: Math.max(1, Math.round(target.height * k)),
  };
}

const roundBox = (r: Rect): Rect => ({
  left: Math.round(r.left),
  top: Math.round(r.top),
  width: Math.round(r.width),
  height: Math.round(r.height),
});
