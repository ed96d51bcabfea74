import type { DetectedSubjects } from '../imaging/faces.ts';
import { subjectKind } from '../imaging/objects.ts';

/** An automatic tag as found: a COCO class name or `person`, with the detector that found it. */
export interface FoundTag {
  label: string;
  score: number;
  source: 'centernet' | 'movenet' | 'blazeface';
}

/**
 * CenterNet's scores run low on real photos and its false hits on texture run high, measured on the
 * shared real-photo set (test/support/real-photos.ts): footballer `person` 0.50 and `sports ball`
 * 0.67, the small dog `dog` 0.25; a circuit board read as `clock` 0.47, a facade as `car` 0.46, a
 * room's textures as `remote` 0.43. So other objects are tagged from 0.5, people and animals from
 * 0.35, and an animal that is the picture's best detection from 0.25 (a lone pet scores low but
 * still above everything else in its picture).
 */
const OBJECT_MIN = 0.5;
const PERSON_OR_ANIMAL_MIN = 0.35;
const MAIN_ANIMAL_MIN = 0.25;
/** Blazeface is sure of real faces (0.9 and up) and rarely above this on anything else. */
const FACE_MIN = 0.8;

/**
 * One tag per label, its best score: CenterNet's classes above their threshold, and `person` also
 * when MoveNet found a body (its answers are people only, already filtered by their own score) or
 * blazeface a face (a close portrait has no body for MoveNet).
 */
export function tagsFrom(subjects: DetectedSubjects): FoundTag[] {
  const best = new Map<string, FoundTag>();
  const offer = (tag: FoundTag) => {
    const known = best.get(tag.label);
    if (!known || known.score < tag.score) best.set(tag.label, tag);
  };
  const top = Math.max(0, ...subjects.objects.map((o) => o.score));
  for (const o of subjects.objects) {
    const min =
      subjectKind(o.label) === 'object'
        ? OBJECT_MIN
        : o.label !== 'person' && o.score === top
          ? MAIN_ANIMAL_MIN
          : PERSON_OR_ANIMAL_MIN;
    if (o.score >= min) offer({ label: o.label, score: o.score, source: 'centernet' });
  }
  for (const b of subjects.bodies) offer({ label: 'person', score: b.score, source: 'movenet' });
  for (const f of subjects.faces) {
    if (f.score >= FACE_MIN) offer({ label: 'person', score: f.score, source: 'blazeface' });
  }
  return [...best.values()]
    .map((t) => ({ ...t, score: Math.round(t.score * 1000) / 1000 }))
    .sort((a, b) => b.score - a.score || a.label.localeCompare(b.label));
}

/** The search document's automatic part: live tag labels, then the recognised text. */
export const autoText = (labels: readonly string[], text: string | null): string | null => {
  const parts = [labels.join(' '), text ?? ''].filter((p) => p !== '');
  return parts.length > 0 ? parts.join('\n') : null;
};
