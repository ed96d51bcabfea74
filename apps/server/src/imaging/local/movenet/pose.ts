import { MOVENET_PARTS, type MovenetKeypoint } from './decode.ts';
import { type MovenetPadding, movenetPadding } from './input.ts';

/** A keypoint as Human reports it: `position` [x, y] in the input's pixels. */
export interface PoseKeypoint {
  part: string;
  /** Rounded to hundredths, as Human does. */
  score: number;
  position: [number, number];
}

/** One pose as Human's `result.body[]` holds it: `box` [x, y, width, height] spans the keypoints. */
export interface MovenetBody {
  score: number;
  box: [number, number, number, number];
  keypoints: PoseKeypoint[];
}

/** Human's body setting in `testing/human-reference.ts`: keypoints scoring at or below it are dropped. */
export const MOVENET_MIN_CONFIDENCE = 0.3;

/** Pairs Human swaps when the left one is left of the right one in the picture. */
const MIRRORED: readonly [string, string][] = [
  ['leftEye', 'rightEye'],
  ['leftEar', 'rightEar'],
  ['leftShoulder', 'rightShoulder'],
  ['leftElbow', 'rightElbow'],
  ['leftWrist', 'rightWrist'],
  ['leftHip', 'rightHip'],
  ['leftKnee', 'rightKnee'],
  ['leftAnkle', 'rightAnkle'],
];
/** [lower, higher]: the lower part is dropped when it is above the higher one. */
const ABOVE: readonly [string, string][] = [
  ['leftKnee', 'leftShoulder'],
  ['rightKnee', 'rightShoulder'],
  ['leftAnkle', 'leftKnee'],
  ['rightAnkle', 'rightKnee'],
];
/** A pair swapped when each is nearer the other side's reference part. */
const RELATIVE: readonly [[string, string], [string, string]][] = [
  [
    ['leftHip', 'rightHip'],
    ['leftShoulder', 'rightShoulder'],
  ],
  [
    ['leftElbow', 'rightElbow'],
    ['leftShoulder', 'rightShoulder'],
  ],
];

/**
 * Human's `bodyParts` fix-up, ported as it behaves: JS arrays let it write index -1 when a pair's
 * part is missing, which drops the other part (or brings back one stored there by an earlier
 * pair); that slot is kept here as `minusOne`. Holes left behind are removed by the caller.
 */
function fixParts(found: PoseKeypoint[]): (PoseKeypoint | undefined)[] {
  const kp: (PoseKeypoint | undefined)[] = [...found];
  let minusOne: PoseKeypoint | undefined;
  const at = (i: number) => (i === -1 ? minusOne : kp[i]);
  const put = (i: number, v: PoseKeypoint | undefined) => {
    if (i === -1) minusOne = v;
    else kp[i] = v;
  };
  const find = (part: string) => kp.findIndex((k) => k?.part === part);
  for (const [l, r] of MIRRORED) {
    const left = find(l);
    const right = find(r);
    const a = at(left);
    const b = at(right);
    if (a && b && a.position[0] < b.position[0]) {
      put(left, b);
      put(right, a);
    }
  }
  for (const [l, h] of ABOVE) {
    const lower = find(l);
    const higher = find(h);
    const a = at(lower);
    const b = at(higher);
    if (a && b && a.position[1] < b.position[1]) kp.splice(lower, 1);
  }
  for (const [[l, r], [lt, rt]] of RELATIVE) {
    const left = find(l);
    const right = find(r);
    const leftTo = at(find(lt));
    const rightTo = at(find(rt));
    if (!leftTo || !rightTo) continue;
    const a = at(left);
    const b = at(right);
    const distanceLeft = a
      ? [Math.abs(leftTo.position[0] - a.position[0]), Math.abs(rightTo.position[0] - a.position[0])]
      : [0, 0];
    const distanceRight = b
      ? [Math.abs(rightTo.position[0] - b.position[0]), Math.abs(leftTo.position[0] - b.position[0])]
      : [0, 0];
    if (distanceLeft[0]! > distanceLeft[1]! || distanceRight[0]! > distanceRight[1]!) {
      put(left, b);
      put(right, a);
    }
  }
  return kp;
}

/** Human's `box.calc`: the keypoints' bounding box [x, y, width, height]. */
function spanOf(keypoints: readonly PoseKeypoint[]): MovenetBody['box'] {
  const xs = keypoints.map((k) => k.position[0]);
  const ys = keypoints.map((k) => k.position[1]);
  const [minX, minY] = [Math.min(...xs), Math.min(...ys)];
  return [minX, minY, Math.max(...xs) - minX, Math.max(...ys) - minY];
}

/**
 * Human's single-pose result from the TF head's keypoints, for an input of `width` × `height`:
 * keypoints above `minConfidence` placed on the unpadded image (Human's rounding, then its padding
 * rescale), the left/right fix-up, the score of the best keypoint and the box around them. Human's
 * `jitter` (keypoints within 0.5% of the previous call's kept from it, a smoothing for video) is
 * left out: between unrelated photos it only carries points over from another picture.
 */
export function movenetBody(
  points: readonly MovenetKeypoint[],
  width: number,
  height: number,
  minConfidence = MOVENET_MIN_CONFIDENCE,
): MovenetBody {
  const found: PoseKeypoint[] = [];
  points.forEach((p, id) => {
    if (p.score > minConfidence) {
      found.push({
        part: MOVENET_PARTS[id]!,
        score: Math.round(100 * p.score) / 100,
        position: [Math.round(width * p.x), Math.round(height * p.y)],
      });
    }
  });
  const score = Math.max(0, ...found.map((k) => k.score));
  const pad: MovenetPadding = movenetPadding(width, height);
  const keypoints = fixParts(found)
    .filter((k): k is PoseKeypoint => k !== undefined)
    .map((k) => ({
      ...k,
      position: [
        (k.position[0] * (width + pad.x + pad.x)) / width - pad.x,
        (k.position[1] * (height + pad.y + pad.y)) / height - pad.y,
      ] satisfies [number, number],
    }));
  return { score, box: spanOf(keypoints), keypoints };
}
