import { describe, expect, it } from 'vitest';
import { hasRealPhotos } from '../../../../test/support/real-photos.ts';
import { ALL_FORMATS } from '../social/platforms.ts';
import { threadedFaceDetector } from './face-thread.ts';
import { type SaliencyMap, salientPeak } from './saliency.ts';
import { planCrop } from './smart-crop.ts';
import type { Subject } from './subject-boxes.ts';
import { ANALYSIS_MIN_LONG_SIDE } from './subjects.ts';
import { keepsSubject, measureCropKeeping } from './testing/crop-keep.ts';
import { SUBJECT_ANNOTATIONS } from './testing/subject-annotations.ts';

const subject = (label: string, kind: Subject['kind'], left: number, width: number): Subject => ({
  label,
  kind,
  score: 0.8,
  box: { left, top: 100, width, height: 200 },
});

describe('smart crop keeps whole subjects', () => {
  it('keeps every subject whole when they fit together, centred', () => {
    const plan = planCrop({
      source: { width: 2000, height: 1000 },
      target: { width: 1000, height: 1000 },
      mode: 'smart',
      subjects: [subject('person', 'person', 1200, 200), subject('dog', 'animal', 1500, 300)],
    });
    expect(plan.strategy).toBe('subjects');
    expect(plan.crop).toEqual({ left: 1000, top: 0, width: 1000, height: 1000 });
    expect(plan.note).toBe('kept person (head and shoulders), dog');
  });

  it('keeps the most important subject when both cannot fit, and says which was cut', () => {
    const plan = planCrop({
      source: { width: 2000, height: 1000 },
      target: { width: 1000, height: 1000 },
      mode: 'smart',
      subjects: [subject('dog', 'animal', 1600, 300), subject('cup', 'object', 100, 200)],
    });
    expect(plan.strategy).toBe('subjects');
    expect(plan.crop.left + plan.crop.width).toBeGreaterThanOrEqual(1900);
    expect(plan.crop.left).toBeLessThanOrEqual(1600);
    expect(plan.subjects).toEqual([{ left: 1600, top: 100, width: 300, height: 200 }]);
    expect(plan.note).toContain('kept dog; cut cup');
  });

  it("answers 'faces' when only people are framed and all fit", () => {
    const plan = planCrop({
      source: { width: 2000, height: 1000 },
      target: { width: 1000, height: 1000 },
      mode: 'smart',
      subjects: [subject('person', 'person', 300, 200), subject('person', 'person', 700, 200)],
    });
    expect(plan.strategy).toBe('faces');
    expect(plan.note).toBeUndefined();
    expect(plan.crop.left).toBeLessThanOrEqual(300);
    expect(plan.crop.left + plan.crop.width).toBeGreaterThanOrEqual(900);
  });

  it('puts a person taller than a wide crop at the head end of the box', () => {
    const plan = planCrop({
      source: { width: 1000, height: 1000 },
      target: { width: 1500, height: 500 },
      mode: 'smart',
      subjects: [
        {
          label: 'person',
          kind: 'person',
          score: 0.9,
          box: { left: 300, top: 400, width: 300, height: 600 },
        },
      ],
    });
    expect(plan.crop).toEqual({ left: 0, top: 400, width: 1000, height: 333 });
  });

  it('keeps the heads of two people on a crop shorter than the first one’s head and shoulders', () => {
    const person = (left: number, top: number, height: number): Subject => ({
      label: 'person',
      kind: 'person',
      score: 0.9,
      box: { left, top, width: 200, height },
    });
    const plan = planCrop({
      source: { width: 2000, height: 1000 },
      target: { width: 2000, height: 250 },
      mode: 'smart',
      subjects: [person(300, 400, 300), person(900, 360, 200)],
    });
    // The first person's head (hair to chin, 60% of 300 px) and all of the second fit: top 330–360.
    expect(plan.strategy).toBe('faces');
    expect(plan.crop.top).toBeGreaterThanOrEqual(330);
    expect(plan.crop.top).toBeLessThanOrEqual(360);
  });

  it('scores a crop against a hand-drawn box as the set defines it', () => {
    const box = { left: 100, top: 0, width: 200, height: 100 };
    expect(keepsSubject({ left: 100, top: 0, width: 300, height: 100 }, box)).toBe(true);
    // 2% of the box's extent may be clipped (hand-drawn precision), not more.
    expect(keepsSubject({ left: 104, top: 0, width: 300, height: 100 }, box)).toBe(true);
    expect(keepsSubject({ left: 106, top: 0, width: 300, height: 100 }, box)).toBe(false);
    // Longer than the crop: the crop must lie on it for 90% of its width.
    expect(keepsSubject({ left: 90, top: 0, width: 100, height: 100 }, box)).toBe(true);
    expect(keepsSubject({ left: 80, top: 0, width: 100, height: 100 }, box)).toBe(false);
  });
});

/** A 100×60 map (source twice its size) with square blobs of the given strength and low noise. */
function mapWith(blobs: Array<{ x: number; y: number; size: number; value: number }>): SaliencyMap {
  const width = 100;
  const height = 60;
  const data = new Float32Array(width * height);
  for (let i = 0; i < data.length; i++) data[i] = 1 + ((i * 7919) % 13) / 13;
  for (const b of blobs) {
    for (let y = b.y; y < b.y + b.size; y++) {
      for (let x = b.x; x < b.x + b.size; x++) data[y * width + x] = b.value;
    }
  }
  return { data, width, height, scale: 0.5 };
}

describe('the salient peak (a subject box when nothing is detected)', () => {
  it('boxes the one blob that holds what stands out, in source pixels', () => {
    const map = mapWith([
      { x: 70, y: 30, size: 20, value: 40 },
      { x: 10, y: 10, size: 4, value: 22 },
    ]);
    expect(salientPeak(map)).toEqual({ left: 140, top: 60, width: 40, height: 40 });
  });

  it('gives no box when the interest is spread over several blobs or there is none', () => {
    const spread = mapWith([
      { x: 70, y: 30, size: 12, value: 40 },
      { x: 10, y: 10, size: 12, value: 38 },
      { x: 40, y: 40, size: 12, value: 39 },
    ]);
    expect(salientPeak(spread)).toBeUndefined();
    expect(salientPeak(mapWith([]))).toBeUndefined();
  });

  it('keeps the peak whole in every crop when it fits, where the wider salient region would not place it', () => {
    const source = { width: 2560, height: 1600 };
    const peak = { left: 1900, top: 1100, width: 640, height: 480 };
    for (const target of [
      { width: 1080, height: 1080 },
      { width: 1080, height: 1350 },
      { width: 1500, height: 500 },
    ]) {
      const plan = planCrop({
        source,
        target,
        mode: 'smart',
        salientBox: { left: 900, top: 500, width: 1660, height: 1100 },
        salientPeak: peak,
      });
      expect(plan.strategy).toBe('saliency');
      expect(plan.subjects).toEqual([peak]);
      expect(keepsSubject(plan.crop, peak), JSON.stringify(plan.crop)).toBe(true);
    }
  });
});

describe.runIf(hasRealPhotos())('smart crop on the annotated real photos, every social format', () => {
  it('keeps the annotated subject far more often than libvips attention or a centre crop', async () => {
    const report = await measureCropKeeping(threadedFaceDetector, ALL_FORMATS);
    const share = (m: 'smart' | 'attention' | 'centre') => report.scores[m].kept / report.scores[m].total;
    expect(report.scores.smart.total).toBe(SUBJECT_ANNOTATIONS.length * ALL_FORMATS.length);
    // Measured 96.0% (attention 59.6%, centre 67.0%): the goal is 95%. The misses left are
    // subjects the detectors box wrongly (a dog's face off its head, a squirrel's box taking in the
    // branch), a group wider than a square crop and a mandrill nothing detects. See
    // docs/local-models.md.
    expect(share('smart'), report.scores.smart.misses.join(' ')).toBeGreaterThanOrEqual(0.95);
    expect(share('smart') - share('attention')).toBeGreaterThan(0.25);
    expect(share('smart') - share('centre')).toBeGreaterThan(0.2);
  }, 300_000);

  it('keeps it as often from the smallest analysis decode (a 12 MP JPEG at 1/8)', async () => {
    const report = await measureCropKeeping(
      threadedFaceDetector,
      ALL_FORMATS,
      SUBJECT_ANNOTATIONS,
      ANALYSIS_MIN_LONG_SIDE,
    );
    // Measured 96.9% at 500 px.
    const smart = report.scores.smart;
    expect(smart.kept / smart.total, smart.misses.join(' ')).toBeGreaterThanOrEqual(0.95);
  }, 300_000);
});
