import { type DetectedSubjects, FACE_INPUT_LONG_SIDE, type FaceBox, type FaceDetector } from './faces.ts';
import type { Rect, Size } from './geometry.ts';
import type { RawImage } from './ingest.ts';
import { resizedRaw } from './raw-resize.ts';
import {
  computeSaliency,
  medianOf,
  SALIENCY_LONG_SIDE,
  type SaliencyMap,
  salientBox,
  salientPeak,
} from './saliency.ts';
import { type CropMode, type CropPlan, type FocalPoint, planCrop } from './smart-crop.ts';
import { rankSubjects, type Subject } from './subject-boxes.ts';

export interface SubjectAnalysis {
  faces: FaceBox[];
  /** People, animals and objects to keep, most important first; empty for faces-only detectors. */
  subjects: Subject[];
  saliency: SaliencyMap;
  salient: Rect | undefined;
  /** The strongest salient blob (see `salientPeak`): kept whole when nothing was detected. */
  peak: Rect | undefined;
}

/** A smaller copy of a decoded buffer for analysis (faces, saliency); never upsized. */
export async function shrinkRaw(raw: RawImage, longSide: number): Promise<RawImage> {
  const k = Math.min(1, longSide / Math.max(raw.width, raw.height));
  if (k === 1) {
    return raw;
  }
  return resizedRaw(raw, {
    width: Math.max(1, Math.round(raw.width * k)),
    height: Math.max(1, Math.round(raw.height * k)),
  });
}

/**
 * Faces, objects (CenterNet's 80 COCO classes) and people's poses (MoveNet) in one decoded image,
 * in source pixels, from one pass over a copy of at most FACE_INPUT_LONG_SIDE. A detector without
 * the object models finds faces only.
 */
export async function detectSubjects(raw: RawImage, detector: FaceDetector): Promise<DetectedSubjects> {
  const pixels = await shrinkRaw(raw, FACE_INPUT_LONG_SIDE);
  if (detector.detectSubjects) return detector.detectSubjects(pixels);
  return { faces: await detector.detect(pixels), objects: [], bodies: [] };
}

/**
 * Subjects and saliency of one decoded image, each on a copy just large enough for the job. A
 * detector that finds faces only leaves `subjects` empty, and the crop plans around its faces.
 */
export async function analyseSubjects(raw: RawImage, detector: FaceDetector): Promise<SubjectAnalysis> {
  const [found, saliency] = await Promise.all([
    detectSubjects(raw, detector),
    shrinkRaw(raw, SALIENCY_LONG_SIDE).then(computeSaliency),
  ]);
  const source = { width: raw.width / raw.scale, height: raw.height / raw.scale };
  const median = medianOf(saliency);
  return {
    faces: found.faces,
    subjects: detector.detectSubjects ? rankSubjects(found, source) : [],
    saliency,
    salient: salientBox(saliency, median),
    peak: salientPeak(saliency, median),
  };
}

/** The crop plan for one target, from an analysis (smart), or plain geometry (center/fit/focal). */
export function planFor(
  source: Size,
  target: Size,
  mode: CropMode,
  analysis?: SubjectAnalysis,
  focalPoint?: FocalPoint,
): CropPlan {
  return planCrop({
    source,
    target,
    mode,
    faces: analysis?.faces ?? [],
    subjects: analysis?.subjects ?? [],
    ...(analysis ? { saliency: analysis.saliency } : {}),
    ...(analysis?.salient ? { salientBox: analysis.salient } : {}),
    ...(analysis?.peak ? { salientPeak: analysis.peak } : {}),
    ...(focalPoint ? { focalPoint } : {}),
  });
}
