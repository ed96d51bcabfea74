import type { Human, Result } from '@vladmandic/human';
import { createHumanRunner, type HumanPixels } from './human-model.ts';
import { bodiesFrom, type DetectedBody, type DetectedObject, objectsFrom } from './objects.ts';

/** A detected face in source pixels. */
export interface FaceBox {
  left: number;
  top: number;
  width: number;
  height: number;
  score: number;
}

/** Pixels to look at and how they relate to the source: `scale` = raw pixels per source pixel. */
export type FacePixels = HumanPixels;

/** Everything one pass of the local models finds, in source pixels. */
export interface DetectedSubjects {
  /** Blazeface, largest first. */
  faces: FaceBox[];
  /** CenterNet (80 COCO classes), best score first. */
  objects: DetectedObject[];
  /** MoveNet poses that are people. */
  bodies: DetectedBody[];
}

export interface FaceDetector {
  /** Faces found, largest first; an empty list when none are found or the model is unavailable. */
  detect(pixels: FacePixels): Promise<FaceBox[]>;
  /**
   * Faces, objects and bodies in one pass of the same models; empty lists when the models are
   * unavailable. Detectors without it (test doubles, faces-only callers) count as finding faces only.
   */
  detectSubjects?(pixels: FacePixels): Promise<DetectedSubjects>;
}

/** Blazeface resizes to 256² and CenterNet to 512²; a larger input only costs tensor conversion. */
export const FACE_INPUT_LONG_SIDE = 640;

export interface FaceDetectorOptions {
  log?: (message: string) => void;
  load?: () => Promise<Human>;
}

const NOTHING: DetectedSubjects = { faces: [], objects: [], bodies: [] };

function facesFrom(result: Result, scale: number): FaceBox[] {
  return result.face
    .map((f) => {
      const [x, y, w, h] = f.box;
      return { left: x / scale, top: y / scale, width: w / scale, height: h / scale, score: f.boxScore };
    })
    .filter((b) => b.width > 0 && b.height > 0)
    .sort((a, b) => b.width * b.height - a.width * a.height);
}

/**
 * Faces (blazeface), and on request objects (CenterNet) and bodies (MoveNet), from one Human
 * instance loaded lazily once; a failed load is logged once and yields empty answers.
 */
export function createFaceDetector(options: FaceDetectorOptions = {}): Required<FaceDetector> {
  const human = createHumanRunner(options);
  return {
    detect: (pixels) => human.run(pixels, { objectsAndBodies: false }, (r) => facesFrom(r, pixels.scale), []),
    detectSubjects: (pixels) =>
      human.run(
        pixels,
        { objectsAndBodies: true },
        (r) => {
          const bounds = { width: pixels.width, height: pixels.height, scale: pixels.scale };
          return {
            faces: facesFrom(r, pixels.scale),
            objects: objectsFrom(r.object, bounds),
            bodies: bodiesFrom(r.body, bounds),
          };
        },
        NOTHING,
      ),
  };
}

/** The process-wide detector: one model load shared by every caller. */
export const faceDetector = createFaceDetector();
