import type { Rect, Size } from './geometry.ts';
import { profile, type SaliencyMap } from './saliency.ts';
import type { Subject } from './subject-boxes.ts';

export type CropMode = 'smart' | 'center' | 'fit';
/**
 * `faces`: people's heads and shoulders (or faces), every one kept whole; `subjects`: detected
 * animals or objects among them, or a subject that had to be cut (the plan's `note` says which).
 */
export type CropStrategy = 'focal_point' | 'faces' | 'subjects' | 'saliency' | 'center' | 'fit' | 'manual';

export interface FocalPoint {
  /** Fractions of the source width and height, 0–1. */
  x: number;
  y: number;
}

export interface CropRequest {
  source: Size;
  target: Size;
  mode: CropMode;
  /** Detected subjects, most important first (see `rankSubjects`); they take precedence over faces. */
  subjects?: readonly Subject[];
  /** Detected faces in source pixels, for detectors that find nothing else; before saliency. */
  faces?: readonly Rect[];
  saliency?: SaliencyMap;
  /** The salient region in source pixels (see `salientBox`), protected like a face but weaker. */
  salientBox?: Rect;
  /** The strongest salient blob in source pixels (see `salientPeak`), kept whole when it fits. */
  salientPeak?: Rect;
  focalPoint?: FocalPoint;
}

export interface CropPlan {
  /** The part of the source that becomes the output, in whole source pixels. */
  crop: Rect;
  strategy: CropStrategy;
  /** The subject boxes (source pixels) the decision used. */
  subjects: Rect[];
  /** For `subjects`: which subjects were kept whole and which did not fit. */
  note?: string;
  /** For `fit`: where the whole image sits inside the output, in output pixels. */
  placement?: Rect;
}

interface Span {
  start: number;
  end: number;
  weight: number;
}

/** Positions tried along the free axis; face-aligned positions are always added. */
const POSITION_SAMPLES = 600;
/**
 * Pull towards the middle when the salient region is longer than the crop: strong enough that a
 * face filling the frame stays centred, weak enough that a subject at one end of a long salient
 * region (a flower's disc in a corner) draws the crop to it.
 */
const OVERSIZE_PULL = 0.2;
/**
 * The head's share of a person's box (see `headAndShoulders`): hair to chin is 1.45 of the 2.45
 * face heights the box spans.
 */
const HEAD_SHARE = 0.6;
const clampTo = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/**
 * Where to cut `target` out of `source`. The crop is the largest rectangle of the target's aspect
 * ratio (as a platform would crop), so only its position along one axis is a decision. `smart`
 * scores every position: whole faces inside, never a face cut through when avoidable, the faces
 * (or the salient region) centred, then captured saliency, then closeness to the centre.
 */
export function planCrop(req: CropRequest): CropPlan {
  const { source, target } = req;
  if (req.mode === 'fit') return planFit(source, target);

  const aspect = target.width / target.height;
  const cropW = Math.min(source.width, Math.max(1, Math.round(source.height * aspect)));
  const cropH = Math.min(source.height, Math.max(1, Math.round(source.width / aspect)));
  const freeAxis: 'x' | 'y' | undefined =
    cropW < source.width ? 'x' : cropH < source.height ? 'y' : undefined;
  const centred = (len: number, size: number) => Math.round((len - size) / 2);
  const build = (pos: number, strategy: CropStrategy, subjects: Rect[]): CropPlan => ({
    crop:
      freeAxis === 'x'
        ? { left: pos, top: 0, width: cropW, height: cropH }
        : freeAxis === 'y'
          ? { left: 0, top: pos, width: cropW, height: cropH }
          : { left: 0, top: 0, width: cropW, height: cropH },
    strategy,
    subjects,
  });
  const len = freeAxis === 'x' ? source.width : source.height;
  const size = freeAxis === 'x' ? cropW : cropH;

  if (req.focalPoint) {
    const f = freeAxis === 'x' ? req.focalPoint.x : req.focalPoint.y;
    const pos = freeAxis ? Math.round(clampTo(clampTo(f, 0, 1) * len - size / 2, 0, len - size)) : 0;
    return build(pos, 'focal_point', []);
  }
  if (req.mode === 'center' || !freeAxis) {
    return build(freeAxis ? centred(len, size) : 0, 'center', []);
  }

  if (req.subjects && req.subjects.length > 0) {
    const placed = placeSubjects(len, size, freeAxis, req.subjects, req.saliency);
    const plan = build(
      placed.pos,
      placed.strategy,
      placed.kept.map((s) => s.box),
    );
    return placed.note ? { ...plan, note: placed.note } : plan;
  }
  const faces = req.faces ?? [];
  const spanOf = (r: Rect): Span =>
    freeAxis === 'x'
      ? { start: r.left, end: r.left + r.width, weight: r.width * r.height }
      : { start: r.top, end: r.top + r.height, weight: r.width * r.height };
  if (faces.length > 0) {
    // Faces sit a little above the centre of a crop, as a photographer would frame them.
    const pos = bestPosition(
      len,
      size,
      faces.map(spanOf),
      freeAxis === 'y' ? 0.42 : 0.5,
      req.saliency,
      freeAxis,
    );
    return build(pos, 'faces', [...faces]);
  }
  if (req.saliency || req.salientBox) {
    const boxes = [req.salientBox, req.salientPeak].filter((b): b is Rect => b !== undefined);
    const pos = bestPosition(len, size, boxes.map(spanOf), 0.5, req.saliency, freeAxis);
    return build(
      pos,
      'saliency',
      [req.salientPeak ?? req.salientBox].filter((b): b is Rect => b !== undefined),
    );
  }
  return build(centred(len, size), 'center', []);
}

const describe = (s: Subject) => (s.kind === 'person' ? 'person (head and shoulders)' : s.label);

/**
 * Where subjects go along the free axis. Each subject, most important first, narrows the range
 * of positions that keep all the ones before it whole; one that cannot be kept as well is cut
 * (named in the note). A subject longer than the crop counts as kept when the crop lies on it:
 * anywhere along it, or at its top for people and animals on the vertical axis (where heads are;
 * a person's head alone when the crop is shorter than head and shoulders).
 * Within the range that is left the
 * kept subjects sit at the crop's centre (people a little above it, as photographers frame them),
 * then as much saliency as possible is captured.
 */
function placeSubjects(
  len: number,
  size: number,
  axis: 'x' | 'y',
  subjects: readonly Subject[],
  saliency: SaliencyMap | undefined,
) {
  const range = len - size;
  let lo = 0;
  let hi = range;
  const kept: Subject[] = [];
  const cut: Subject[] = [];
  let keptLo = Number.POSITIVE_INFINITY;
  let keptHi = Number.NEGATIVE_INFINITY;
  for (const subject of subjects) {
    const start = axis === 'x' ? subject.box.left : subject.box.top;
    let end = start + (axis === 'x' ? subject.box.width : subject.box.height);
    // Too long for the crop: the crop lies on it (any part), or for a living subject on the
    // vertical axis keeps its head end: a person's head (HEAD_SHARE of head and shoulders) when
    // that fits, so other people may share the crop, else the crop's height from the top.
    if (end - start > size && subject.kind !== 'object' && axis === 'y') {
      const head = subject.kind === 'person' ? HEAD_SHARE * (end - start) : size;
      end = start + Math.min(head, size);
    }
    const oversize = end - start > size;
    const from = Math.max(lo, Math.round(oversize ? start : end - size));
    const to = Math.min(hi, Math.round(oversize ? end - size : start));
    if (from > to) {
      cut.push(subject);
      continue;
    }
    lo = from;
    hi = to;
    kept.push(subject);
    const mid = (start + end) / 2;
    keptLo = Math.min(keptLo, oversize ? mid - size / 2 : start);
    keptHi = Math.max(keptHi, oversize ? mid + size / 2 : end);
  }
  const anchor = axis === 'y' && kept[0]?.kind === 'person' ? 0.42 : 0.5;
  const energy = saliency ? prefixProfile(saliency, axis) : undefined;
  const want = kept.length > 0 ? (keptLo + keptHi) / 2 - size * anchor : range / 2;
  let pos = Math.round(clampTo(want, lo, hi));
  if (energy) {
    let bestScore = Number.NEGATIVE_INFINITY;
    for (let i = 0; i <= POSITION_SAMPLES; i++) {
      const p = Math.round(lo + ((hi - lo) * i) / POSITION_SAMPLES);
      const score = energy.capturedScore(p, p + size) - (2 * Math.abs(p - want)) / size;
      if (score > bestScore) {
        bestScore = score;
        pos = p;
      }
    }
  }
  const peopleOnly = kept.every((s) => s.kind === 'person');
  const strategy: CropStrategy = cut.length === 0 && peopleOnly ? 'faces' : 'subjects';
  const note =
    strategy === 'subjects'
      ? `kept ${kept.map(describe).join(', ') || 'nothing whole'}${cut.length > 0 ? `; cut ${cut.map(describe).join(', ')} (no crop of this shape holds them with the first)` : ''}`
      : undefined;
  return { pos, kept, strategy, note };
}

function bestPosition(
  len: number,
  size: number,
  subjects: Span[],
  anchor: number,
  saliency: SaliencyMap | undefined,
  axis: 'x' | 'y',
): number {
  const range = len - size;
  const candidates = new Set<number>();
  for (let i = 0; i <= POSITION_SAMPLES; i++) candidates.add(Math.round((range * i) / POSITION_SAMPLES));
  for (const s of subjects) {
    for (const p of [s.start, s.end - size, (s.start + s.end) / 2 - size * anchor]) {
      candidates.add(Math.round(clampTo(p, 0, range)));
    }
  }
  const energy = saliency ? prefixProfile(saliency, axis) : undefined;
  const totalWeight = subjects.reduce((a, s) => a + s.weight, 0) || 1;
  let best = Math.round(range / 2);
  let bestScore = Number.NEGATIVE_INFINITY;
  for (const pos of candidates) {
    const end = pos + size;
    let score = 0;
    let inLo = Number.POSITIVE_INFINITY;
    let inHi = Number.NEGATIVE_INFINITY;
    let oversize = false;
    for (const s of subjects) {
      const overlap = Math.max(0, Math.min(end, s.end) - Math.max(pos, s.start));
      const fullness = overlap / Math.min(s.end - s.start, size);
      const w = s.weight / totalWeight;
      if (fullness >= 0.999) {
        score += 10 * w;
        // A span longer than the crop has no centre to frame: the saliency inside it decides.
        if (s.end - s.start > size) {
          oversize = true;
          continue;
        }
        inLo = Math.min(inLo, s.start);
        inHi = Math.max(inHi, s.end);
      } else if (overlap > 0) {
        score -= 20 * w;
      }
    }
    if (inHi > inLo) {
      const want = pos + size * anchor;
      score -= Math.abs((inLo + inHi) / 2 - want) / size;
    }
    if (energy) score += energy.capturedScore(pos, end);
    score -= ((oversize ? OVERSIZE_PULL : 0.05) * Math.abs(pos - range / 2)) / Math.max(1, range);
    if (score > bestScore) {
      bestScore = score;
      best = pos;
    }
  }
  return best;
}

/** Saliency along the free axis, integrated so any window's energy and centroid cost O(1). */
type PrefixProfile = ReturnType<typeof makePrefixProfile>;
/** One analysis plans every format of an export from the same map: each axis is summed once. */
const prefixProfiles = new WeakMap<SaliencyMap, Partial<Record<'x' | 'y', PrefixProfile>>>();

function prefixProfile(map: SaliencyMap, axis: 'x' | 'y'): PrefixProfile {
  let byAxis = prefixProfiles.get(map);
  if (!byAxis) {
    byAxis = {};
    prefixProfiles.set(map, byAxis);
  }
  byAxis[axis] ??= makePrefixProfile(map, axis);
  return byAxis[axis];
}

function makePrefixProfile(map: SaliencyMap, axis: 'x' | 'y') {
  const p = profile(map, axis);
  const mass = new Float64Array(p.length + 1);
  const moment = new Float64Array(p.length + 1);
  for (let i = 0; i < p.length; i++) {
    mass[i + 1] = mass[i]! + p[i]!;
    moment[i + 1] = moment[i]! + p[i]! * (i + 0.5);
  }
  const total = mass[p.length]! || 1;
  const at = (arr: Float64Array, x: number) => {
    const c = clampTo(x, 0, p.length);
    const i = Math.floor(c);
    const f = c - i;
    return i >= p.length ? arr[p.length]! : arr[i]! + f * (arr[i + 1]! - arr[i]!);
  };
  return {
    /** Share of the energy inside [start, end) in source pixels, minus how off-centre it sits. */
    capturedScore(start: number, end: number): number {
      const a = start * map.scale;
      const b = end * map.scale;
      const m = at(mass, b) - at(mass, a);
      if (m <= 0) return 0;
      const centroid = (at(moment, b) - at(moment, a)) / m;
      return m / total - (0.5 * Math.abs(centroid - (a + b) / 2)) / (b - a);
    },
  };
}

function planFit(source: Size, target: Size): CropPlan {
  const scale = Math.min(target.width / source.width, target.height / source.height);
  const width = clampTo(Math.round(source.width * scale), 1, target.width);
  const height = clampTo(Math.round(source.height * scale), 1, target.height);
  return {
    crop: { left: 0, top: 0, width: source.width, height: source.height },
    strategy: 'fit',
    subjects: [],
    placement: {
      left: Math.floor((target.width - width) / 2),
      top: Math.floor((target.height - height) / 2),
      width,
      height,
    },
  };
}
