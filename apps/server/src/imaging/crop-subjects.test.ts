import { describe, expect, it } from 'vitest';
import { hasRealPhotos } from '../../../../test/support/real-photos.ts';
import { ALL_FORMATS } from '../social/platforms.ts';
import { threadedFaceDetector } from './face-thread.ts';
import { planCrop } from './smart-crop.ts';
import type { Subject } from './subject-boxes.ts';
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

describe.runIf(hasRealPhotos())('smart crop on the annotated real photos, every social format', () => {
  it('keeps the annotated subject far more often than libvips attention or a centre crop', async () => {
    const report = await measureCropKeeping(threadedFaceDetector, ALL_FORMATS);
    const share = (m: 'smart' | 'attention' | 'centre') => report.scores[m].kept / report.scores[m].total;
    expect(report.scores.smart.total).toBe(SUBJECT_ANNOTATIONS.length * ALL_FORMATS.length);
    // Measured 92.9% (attention 59.6%, centre 67.0%); the goal of 95% is not reached yet:
    // the misses are subjects the detectors do not see (a dog's ears beyond its face box, an
    // undetected person at a group's edge). See docs/local-models.md.
    expect(share('smart'), report.scores.smart.misses.join(' ')).toBeGreaterThanOrEqual(0.92);
    expect(share('smart') - share('attention')).toBeGreaterThan(0.25);
    expect(share('smart') - share('centre')).toBeGreaterThan(0.2);
  }, 300_000);
});
