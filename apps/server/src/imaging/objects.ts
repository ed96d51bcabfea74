import type { Rect } from './geometry.ts';

/** One of CenterNet's 80 COCO classes ('person', 'dog', 'cup', 'potted plant', …). */
export interface DetectedObject {
  label: string;
  score: number;
  /** Source pixels. */
  box: Rect;
}

export interface BodyKeypoint {
  /** MoveNet's part name: nose, leftEye, rightShoulder, leftHip, … */
  part: string;
  x: number;
  y: number;
  score: number;
}

/** A body pose (MoveNet); the box spans its confident keypoints, so it stops at the eyes, not the hair. */
export interface DetectedBody {
  score: number;
  box: Rect;
  keypoints: BodyKeypoint[];
}

export type SubjectKind = 'person' | 'animal' | 'object';

const ANIMALS: ReadonlySet<string> = new Set([
  'bird',
  'cat',
  'dog',
  'horse',
  'sheep',
  'cow',
  'elephant',
  'bear',
  'zebra',
  'giraffe',
]);

export const subjectKind = (label: string): SubjectKind =>
  label === 'person' ? 'person' : ANIMALS.has(label) ? 'animal' : 'object';

/** Keypoints MoveNet is sure of; below this its points wander onto texture. */
const KEYPOINT_MIN_SCORE = 0.3;
/**
 * MoveNet always answers one pose, even for a wall; measured on real photos without people it
 * scored 0.32–0.44 with two to four confident points, real people 0.6–0.8 with 13 or more.
 */
const BODY_MIN_SCORE = 0.5;
const BODY_MIN_KEYPOINTS = 6;

interface Bounds {
  width: number;
  height: number;
  /** Raw pixels per source pixel. */
  scale: number;
}

/** Human's box ([x, y, w, h] in raw pixels) clipped to the raw image, in source pixels. */
function toSource([x, y, w, h]: readonly number[], { width, height, scale }: Bounds): Rect | undefined {
  if (![x, y, w, h].every((v) => v !== undefined && Number.isFinite(v))) return undefined;
  const left = Math.max(0, x!);
  const top = Math.max(0, y!);
  const right = Math.min(width, x! + w!);
  const bottom = Math.min(height, y! + h!);
  if (right <= left || bottom <= top) return undefined;
  return {
    left: left / scale,
    top: top / scale,
    width: (right - left) / scale,
    height: (bottom - top) / scale,
  };
}

/** A CenterNet detection as Human and `local/centernet/` report it: `box` [x, y, w, h] in raw pixels. */
export interface RawObject {
  label: string;
  score: number;
  box: readonly number[];
}

/** CenterNet's detections in source pixels, best first. */
export function objectsFrom(results: readonly RawObject[], bounds: Bounds): DetectedObject[] {
  return results
    .flatMap((o) => {
      const box = toSource(o.box, bounds);
      return box ? [{ label: o.label, score: o.score, box }] : [];
    })
    .sort((a, b) => b.score - a.score);
}

/** A MoveNet pose as Human and `local/movenet/` report it: positions and `box` [x, y, w, h] in raw pixels. */
export interface RawBody {
  score: number;
  box: readonly number[];
  keypoints: readonly { part: string; score: number; position: readonly [number, number, number?] }[];
}

/** MoveNet's poses that are people (see BODY_MIN_SCORE), in source pixels. */
export function bodiesFrom(results: readonly RawBody[], bounds: Bounds): DetectedBody[] {
  return results.flatMap((b) => {
    const keypoints = b.keypoints
      .filter((k) => k.score >= KEYPOINT_MIN_SCORE)
      .map((k) => ({
        part: k.part,
        x: k.position[0] / bounds.scale,
        y: k.position[1] / bounds.scale,
        score: k.score,
      }));
    if (b.score < BODY_MIN_SCORE || keypoints.length < BODY_MIN_KEYPOINTS) return [];
    const box = toSource(b.box, bounds);
    return box ? [{ score: b.score, box, keypoints }] : [];
  });
}
