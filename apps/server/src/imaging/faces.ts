import { createBlazefaceDetector } from './local/blazeface/blazeface-session.ts';
import type { BlazefaceFace } from './local/blazeface/decode.ts';
import {
  CENTERNET_SPARE_CORE_THREADS,
  centernetSessionLoader,
  createCenternetDetector,
} from './local/centernet/centernet-session.ts';
import { createMovenetDetector } from './local/movenet/movenet-session.ts';
import type { SessionLoader } from './local/onnx/session-loader.ts';
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
export interface FacePixels {
  data: Buffer;
  width: number;
  height: number;
  channels: 3 | 4;
  scale: number;
}

/** Everything one pass of the local models finds, in source pixels. */
export interface DetectedSubjects {
  /** Blazeface, largest first. */
  faces: FaceBox[];
  /** CenterNet (80 COCO classes), best score first. */
  objects: DetectedObject[];
  /** MoveNet poses that are people. */
  bodies: DetectedBody[];
}

/** How one detection may use the machine. */
export interface DetectOptions {
  /**
   * Nothing else is admitted beside this detection (`Admission.request`'s `alone`): CenterNet may
   * take the second core, which beside other heavy work only costs CPU.
   */
  spareCore?: boolean;
}

export interface FaceDetector {
  /** Faces found, largest first; an empty list when none are found or the model is unavailable. */
  detect(pixels: FacePixels): Promise<FaceBox[]>;
  /**
   * Faces, objects and bodies in one pass of the same models; empty lists when the models are
   * unavailable. Detectors without it (test doubles, faces-only callers) count as finding faces only.
   */
  detectSubjects?(pixels: FacePixels, options?: DetectOptions): Promise<DetectedSubjects>;
}

/** Blazeface resizes to 256² and CenterNet to 512²; a larger input only costs tensor conversion. */
export const FACE_INPUT_LONG_SIDE = 640;

export interface FaceDetectorOptions {
  log?: (message: string) => void;
  /** Blazeface's session (built from the package's model files unless said). */
  faceLoader?: SessionLoader;
}

function facesFrom(faces: readonly BlazefaceFace[], scale: number): FaceBox[] {
  return faces
    .map((f) => {
      const [x, y, w, h] = f.box;
      return { left: x / scale, top: y / scale, width: w / scale, height: h / scale, score: f.boxScore };
    })
    .filter((b) => b.width > 0 && b.height > 0)
    .sort((a, b) => b.width * b.height - a.width * a.height);
}

/**
 * Whether a pose is worth MoveNet's time: only people have one, and everything a pose is used for
 * (widening a face to its shoulders, confirming a weak face, a `person` tag) needs a person seen
 * by blazeface or CenterNet first. MoveNet always answers a pose, so on the rest it only cost time.
 */
export const wantsPose = (faces: readonly FaceBox[], objects: readonly DetectedObject[]): boolean =>
  faces.length > 0 || objects.some((o) => o.label === 'person');

/** One model per call, each loaded lazily once: blazeface, CenterNet and MoveNet on onnxruntime. */
export interface SubjectParts {
  faces(pixels: FacePixels): Promise<FaceBox[]>;
  objects(pixels: FacePixels, options?: DetectOptions): Promise<DetectedObject[]>;
  bodies(pixels: FacePixels): Promise<DetectedBody[]>;
}

/**
 * Blazeface, CenterNet and MoveNet each from its own onnxruntime session, loaded on its first
 * call; a failed load is logged once and yields empty answers.
 */
export function createSubjectParts(options: FaceDetectorOptions = {}): SubjectParts {
  const log = options.log ? { log: options.log } : {};
  const blazeface = createBlazefaceDetector({
    ...log,
    ...(options.faceLoader ? { loader: options.faceLoader } : {}),
  });
  const centernet = createCenternetDetector(log);
  // Its own session: a session's threads are fixed when it is built. Built on first use.
  const centernetSpareCore = createCenternetDetector({
    ...log,
    loader: centernetSessionLoader(CENTERNET_SPARE_CORE_THREADS),
  });
  const movenet = createMovenetDetector(log);
  const bounds = (p: FacePixels) => ({ width: p.width, height: p.height, scale: p.scale });
  return {
    faces: async (pixels) => facesFrom(await blazeface.detect(pixels), pixels.scale),
    objects: async (pixels, detect) =>
      objectsFrom(await (detect?.spareCore ? centernetSpareCore : centernet).detect(pixels), bounds(pixels)),
    bodies: async (pixels) => bodiesFrom(await movenet.detect(pixels), bounds(pixels)),
  };
}

/**
 * Faces (blazeface), and on request objects (CenterNet) and, with a person in view, bodies
 * (MoveNet), in this thread; see `face-thread.ts` for the threaded one.
 */
export function createFaceDetector(options: FaceDetectorOptions = {}): Required<FaceDetector> {
  const parts = createSubjectParts(options);
  return {
    detect: (pixels) => parts.faces(pixels),
    detectSubjects: async (pixels, detect) => {
      const faces = await parts.faces(pixels);
      const objects = await parts.objects(pixels, detect);
      const bodies = wantsPose(faces, objects) ? await parts.bodies(pixels) : [];
      return { faces, objects, bodies };
    },
  };
}

/** The process-wide detector: one model load shared by every caller. */
export const faceDetector = createFaceDetector();
