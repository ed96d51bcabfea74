import { loadavg } from 'node:os';
import { threadedFaceDetector } from '../../apps/server/src/imaging/face-thread.ts';
import { measureCropKeeping, type Timing } from '../../apps/server/src/imaging/testing/crop-keep.ts';
import { ALL_FORMATS } from '../../apps/server/src/social/platforms.ts';

/**
 * crop-subjects: every hand-annotated real photo (imaging/testing/subject-annotations.ts) × every
 * social format, cropped by the product's smart crop, by libvips' attention crop and at the
 * centre; the share of crops that keep the annotated subject for each, in the same run. Time: the
 * smart crop's analysis per photo (decode at analysis size, blazeface + CenterNet + MoveNet on the
 * detector thread, saliency; one analysis serves every format) beside libvips' attention crop of
 * every format of the same photo. The models load before timing starts (reported apart).
 */
export interface CropCaseResult {
  name: string;
  subjectLabel: string;
  subject: Timing;
  baselineLabel: string;
  baseline: Timing;
  notes: string[];
}

export async function cropSubjectsCase(): Promise<CropCaseResult> {
  const started = performance.now();
  await threadedFaceDetector.detectSubjects({
    data: Buffer.alloc(64 * 64 * 3, 128),
    width: 64,
    height: 64,
    channels: 3,
    scale: 1,
  });
  const loadMs = performance.now() - started;
  const report = await measureCropKeeping(threadedFaceDetector, ALL_FORMATS);
  const pct = (m: 'smart' | 'attention' | 'centre') =>
    `${((100 * report.scores[m].kept) / report.scores[m].total).toFixed(1)}% (${report.scores[m].kept}/${report.scores[m].total})`;
  return {
    name: `smart crop keeps the subject: ${report.photos} real photos × ${report.formats} social formats`,
    subjectLabel: 'smart crop analysis per photo (all formats)',
    subject: report.analysisPerPhoto,
    baselineLabel: `libvips attention crop per photo (${report.formats} crops)`,
    baseline: report.attentionPerPhoto,
    notes: [
      `subject kept: smart ${pct('smart')}, attention ${pct('attention')}, centre ${pct('centre')}`,
      `smart misses: ${report.scores.smart.misses.join(' ') || 'none'}`,
      `models loaded in ${loadMs.toFixed(0)} ms before timing; load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    ],
  };
}
