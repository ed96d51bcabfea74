import {
  type DetectedSubjects,
  type DetectOptions,
  FACE_INPUT_LONG_SIDE,
  type FaceBox,
  type FaceDetector,
} from './faces.ts';
import type { Rect, Size } from './geometry.ts';
import type { RawImage } from './ingest.ts';
import { DCT_SCALES } from './jpeg-dct.ts';
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

/**
 * Shortest long side an analysis decodes at. On the annotated photos the smart crop keeps the
 * subject as often from 500 px as from FACE_INPUT_LONG_SIDE (bench `crop-subjects`, 96.9% against
 * 96.0%; `crop-subjects.test.ts` holds both to 95%).
 */
export const ANALYSIS_MIN_LONG_SIDE = 500;

/**
 * The scale an analysis decodes a source at: a JPEG's own DCT scale where it lands between
 * ANALYSIS_MIN_LONG_SIDE and FACE_INPUT_LONG_SIDE (a 12 MP photo at 1/8, 500 px: through TurboJPEG
 * the decode skips nearly all of the inverse DCT and nothing is resized after it; see
 * `jpeg-dct.ts`), otherwise FACE_INPUT_LONG_SIDE.
 * A preview and the export it stands for decode the same pixels through it.
 */
export function analysisScale(image: Size & { format: string }): number {
  const long = Math.max(image.width, image.height);
  const direct =
    image.format === 'jpeg'
      ? DCT_SCALES.find((k) => long * k >= ANALYSIS_MIN_LONG_SIDE && long * k <= FACE_INPUT_LONG_SIDE)
      : undefined;
  return direct ?? Math.min(1, FACE_INPUT_LONG_SIDE / long);
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
export async function detectSubjects(
  raw: RawImage,
  detector: FaceDetector,
  detect: DetectOptions = {},
): Promise<DetectedSubjects> {
  const pixels = await shrinkRaw(raw, FACE_INPUT_LONG_SIDE);
  if (detector.detectSubjects) return detector.detectSubjects(pixels, detect);
  return { faces: await detector.detect(pixels), objects: [], bodies: [] };
}

/** Saliency's map and what the crop reads from it: its box of mass and its strongest blob. */
function salientParts(saliency: SaliencyMap): Pick<SubjectAnalysis, 'saliency' | 'salient' | 'peak'> {
  const median = medianOf(saliency);
  return { saliency, salient: salientBox(saliency, median), peak: salientPeak(saliency, median) };
}

/**
 * Subjects and saliency of one decoded image, each on a copy just large enough for the job. A
 * detector that finds faces only leaves `subjects` empty, and the crop plans around its faces.
 * Saliency's box and peak are read while the detectors still run: after them, they would add
 * their milliseconds to every analysis.
 */
export async function analyseSubjects(
  raw: RawImage,
  detector: FaceDetector,
  detect: DetectOptions = {},
): Promise<SubjectAnalysis> {
  const [found, salient] = await Promise.all([
    detectSubjects(raw, detector, detect),
    shrinkRaw(raw, SALIENCY_LONG_SIDE).then(computeSaliency).then(salientParts),
  ]);
  const source = { width: raw.width / raw.scale, height: raw.height / raw.scale };
  return {
    faces: found.faces,
    subjects: detector.detectSubjects ? rankSubjects(found, source) : [],
    ...salient,
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
