import type { DetectedSubjects, FaceBox } from './faces.ts';
import { clip, type Rect, type Size } from './geometry.ts';
import { type DetectedBody, type SubjectKind, subjectKind } from './objects.ts';

/** A box the crop should keep whole, most important first in the lists this module returns. */
export interface Subject {
  /** A COCO class ('person', 'dog', 'cup', …) or 'face' for a face nothing else confirms. */
  label: string;
  kind: SubjectKind;
  score: number;
  /** Source pixels; for people, the head and shoulders. */
  box: Rect;
}

/** A face alone counts as a person from this score; below it blazeface also fires on fur and petals. */
const CONFIDENT_FACE = 0.7;
/** CenterNet's person class; its scores on real people were 0.30–0.76, crowds in the back 0.2–0.4. */
const PERSON_MIN_SCORE = 0.3;
/** Animals: Human's own floor; CenterNet rarely scores above 0.5 on real photos. */
const ANIMAL_MIN_SCORE = 0.2;
/** Objects right at the floor were blur and texture (an "orange" in a marigold's bokeh at 0.20). */
const OBJECT_MIN_SCORE = 0.22;
/**
 * A box over most of the picture is the scene (a "dining table" under a plant at 89%, a "vase"
 * over raindrops at 79%), not a subject to frame; a butterfly filling its photo measured 60%.
 */
const MAX_SHARE = 0.7;
/** Objects smaller than this share are background detail (parked cars, pot plants along a facade). */
const MIN_OBJECT_SHARE = 0.03;

const area = (r: Rect) => r.width * r.height;
const centreOf = (r: Rect) => ({ x: r.left + r.width / 2, y: r.top + r.height / 2 });
const holds = (r: Rect, p: { x: number; y: number }) =>
  p.x >= r.left && p.x <= r.left + r.width && p.y >= r.top && p.y <= r.top + r.height;

/**
 * Head and shoulders from a face: shoulders span about 2.6 face widths, hair rises about half a
 * face height above blazeface's box and the shoulder line sits about one face height below the
 * chin. A MoveNet pose whose nose or eyes fall in the face widens it to the shoulders it found.
 */
export function headAndShoulders(face: Rect, bodies: readonly DetectedBody[], source: Size): Rect {
  const cx = face.left + face.width / 2;
  let left = cx - 1.3 * face.width;
  let right = cx + 1.3 * face.width;
  const top = face.top - 0.45 * face.height;
  let bottom = face.top + 2 * face.height;
  const body = bodies.find((b) =>
    b.keypoints.some((k) => ['nose', 'leftEye', 'rightEye'].includes(k.part) && holds(face, k)),
  );
  for (const k of body?.keypoints ?? []) {
    if (k.part !== 'leftShoulder' && k.part !== 'rightShoulder') continue;
    left = Math.min(left, k.x - 0.25 * face.width);
    right = Math.max(right, k.x + 0.25 * face.width);
    bottom = Math.max(bottom, k.y + 0.5 * face.height);
  }
  return clip({ left, top, width: right - left, height: bottom - top }, source);
}

/** The top of a person's box: head and shoulders are about the top third of a standing figure. */
function headOfPerson(box: Rect): Rect {
  const height = Math.min(box.height, Math.max(0.3 * box.height, 0.6 * box.width));
  return { left: box.left, top: box.top, width: box.width, height };
}

/**
 * The subjects a crop should keep, most important first: people (head and shoulders, from a
 * face or a person box), then animals, then other objects; within each, score × area, with people
 * whose face was seen first. Weak faces nothing confirms (blazeface on a dog or a blurred petal)
 * count as objects labelled 'face'.
 */
export function rankSubjects(found: DetectedSubjects, source: Size): Subject[] {
  const image = source.width * source.height;
  const people = found.objects.filter((o) => o.label === 'person' && o.score >= PERSON_MIN_SCORE);
  const confirmed = (f: FaceBox) =>
    f.score >= CONFIDENT_FACE ||
    people.some((p) => holds(p.box, centreOf(f))) ||
    found.bodies.some((b) => b.keypoints.some((k) => k.part === 'nose' && holds(f, k)));
  const ranked: Array<Subject & { tier: number; weight: number }> = [];
  for (const f of found.faces) {
    const person = confirmed(f);
    // An unconfirmed face may be fur or a petal: widening it to shoulders would claim the frame.
    const box = person ? headAndShoulders(f, found.bodies, source) : clip(f, source);
    if (!person && area(box) / image > MAX_SHARE) continue;
    ranked.push({
      label: person ? 'person' : 'face',
      kind: person ? 'person' : 'object',
      score: f.score,
      box,
      tier: person ? 0 : 2,
      // A seen face outranks a person box of the same size: it is what viewers look at.
      weight: f.score * area(box) * (person ? 2 : 1),
    });
  }
  for (const p of people) {
    if (found.faces.some((f) => holds(p.box, centreOf(f)))) continue;
    const box = headOfPerson(p.box);
    ranked.push({
      label: 'person',
      kind: 'person',
      score: p.score,
      box,
      tier: 0,
      weight: p.score * area(box),
    });
  }
  for (const o of found.objects) {
    const kind = subjectKind(o.label);
    if (kind === 'person' || o.score < (kind === 'animal' ? ANIMAL_MIN_SCORE : OBJECT_MIN_SCORE)) continue;
    const share = area(o.box) / image;
    if (share > MAX_SHARE || (kind === 'object' && share < MIN_OBJECT_SHARE)) continue;
    ranked.push({
      label: o.label,
      kind,
      score: o.score,
      box: o.box,
      tier: kind === 'animal' ? 1 : 2,
      weight: o.score * area(o.box),
    });
  }
  return ranked
    .sort((a, b) => a.tier - b.tier || b.weight - a.weight)
    .map(({ label, kind, score, box }) => ({ label, kind, score, box }));
}
