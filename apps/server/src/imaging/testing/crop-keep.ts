import sharp from 'sharp';
import { realPhoto } from '../../../../../test/support/real-photos.ts';
import type { FaceDetector } from '../faces.ts';
import type { Rect, Size } from '../geometry.ts';
import { ingestBytes } from '../ingest.ts';
import { planCrop } from '../smart-crop.ts';
import { analyseSubjects, analysisScale, planFor } from '../subjects.ts';
import { SUBJECT_ANNOTATIONS, type SubjectAnnotation } from './subject-annotations.ts';

/** A crop target: a platform format's id and pixel size. */
export interface CropTarget {
  id: string;
  width: number;
  height: number;
}

/** Share of the crop that must lie on a subject too long for any crop of that shape. */
export const OVERSIZE_COVER = 0.9;

/** Hand-drawn edges are read off a 50 px grid: a crop may clip this share of a box's extent. */
export const EDGE_TOLERANCE = 0.02;

/**
 * Whether a crop keeps a subject, axis by axis. Where the box fits in the crop's extent it must be
 * inside whole, less EDGE_TOLERANCE of its extent (at least 1 px) for the precision of a box drawn
 * by hand. Where it is longer than the crop (a 5.9:1 cover across a
 * portrait's head and shoulders), no crop of that shape can hold it, so the crop must lie on it:
 * at least OVERSIZE_COVER of the crop's extent overlaps the box. Crops span the source on one axis,
 * so in practice only the free axis decides.
 */
export function keepsSubject(crop: Rect, box: Rect): boolean {
  const axis = (c0: number, cLen: number, b0: number, bLen: number) => {
    const overlap = Math.min(c0 + cLen, b0 + bLen) - Math.max(c0, b0);
    const slack = Math.max(1, EDGE_TOLERANCE * bLen);
    return bLen <= cLen ? overlap >= bLen - slack : overlap >= OVERSIZE_COVER * cLen;
  };
  return axis(crop.left, crop.width, box.left, box.width) && axis(crop.top, crop.height, box.top, box.height);
}

export type CropMethod = 'smart' | 'attention' | 'centre';

export interface KeepScore {
  kept: number;
  total: number;
  /** `photo/format` of every crop that lost its subject. */
  misses: string[];
}

export interface Timing {
  wallMs: number;
  /** User + system CPU time of the process, all threads (the detector's included). */
  cpuMs: number;
}

export interface CropKeepReport {
  scores: Record<CropMethod, KeepScore>;
  photos: number;
  formats: number;
  /** The product's analysis (decode at analysis size, detection, saliency) per photo: all formats. */
  analysisPerPhoto: Timing;
  /** libvips' attention crop of every format, per photo. */
  attentionPerPhoto: Timing;
}

async function timed<T>(spent: Timing, fn: () => Promise<T>): Promise<T> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const value = await fn();
  const used = process.cpuUsage(cpu);
  spent.wallMs += performance.now() - start;
  spent.cpuMs += (used.user + used.system) / 1000;
  return value;
}

const perPhoto = (t: Timing, n: number): Timing => ({ wallMs: t.wallMs / n, cpuMs: t.cpuMs / n });

const limits = { maxUploadBytes: 64 * 1024 * 1024, maxInputPixels: 50_000_000 };

/** libvips' own smart crop of the largest `target`-shaped rectangle: its offsets in source pixels. */
async function attentionCrop(bytes: Buffer, source: Size, crop: Size): Promise<Rect> {
  const { info } = await sharp(bytes)
    .resize(crop.width, crop.height, { fit: 'cover', position: 'attention' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  // Without a shift libvips leaves the offsets out; the crop then sits at the origin.
  const left = -(info.cropOffsetLeft ?? 0);
  const top = -(info.cropOffsetTop ?? 0);
  return {
    left: Math.max(0, Math.min(source.width - crop.width, left)),
    top: Math.max(0, Math.min(source.height - crop.height, top)),
    ...crop,
  };
}

/**
 * Every annotated photo × every target, cropped three ways: the product's smart crop (the Social
 * Optimizer's path: decode at analysis size, detect, rank, plan), libvips' attention crop and a
 * centre crop; each scored with `keepsSubject` against the hand-drawn box. `longSide` analyses
 * every photo at that size instead of the product's `analysisScale`.
 */
export async function measureCropKeeping(
  detector: FaceDetector,
  targets: readonly CropTarget[],
  annotations: readonly SubjectAnnotation[] = SUBJECT_ANNOTATIONS,
  longSide?: number,
): Promise<CropKeepReport> {
  const scores: Record<CropMethod, KeepScore> = {
    smart: { kept: 0, total: 0, misses: [] },
    attention: { kept: 0, total: 0, misses: [] },
    centre: { kept: 0, total: 0, misses: [] },
  };
  const analysis: Timing = { wallMs: 0, cpuMs: 0 };
  const attention: Timing = { wallMs: 0, cpuMs: 0 };
  for (const a of annotations) {
    const bytes = realPhoto(a.photo);
    const image = await ingestBytes(bytes, { limits });
    const source: Size = { width: image.width, height: image.height };
    const scale = longSide
      ? Math.min(1, longSide / Math.max(image.width, image.height))
      : analysisScale(image);
    const found = await timed(analysis, async () =>
      analyseSubjects(await image.decodeRaw(scale, '#ffffff', 'analysis'), detector),
    );
    for (const t of targets) {
      const target = { width: t.width, height: t.height };
      const smart = planFor(source, target, 'smart', found).crop;
      const centre = planCrop({ source, target, mode: 'center' }).crop;
      const vips = await timed(attention, () =>
        attentionCrop(bytes, source, { width: centre.width, height: centre.height }),
      );
      for (const [method, crop] of [
        ['smart', smart],
        ['attention', vips],
        ['centre', centre],
      ] as const) {
        const score = scores[method];
        score.total++;
        if (keepsSubject(crop, a.box)) score.kept++;
        else score.misses.push(`${a.photo}/${t.id}`);
      }
    }
  }
  return {
    scores,
    photos: annotations.length,
    formats: targets.length,
    analysisPerPhoto: perPhoto(analysis, annotations.length),
    attentionPerPhoto: perPhoto(attention, annotations.length),
  };
}
