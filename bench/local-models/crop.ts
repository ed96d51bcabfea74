import { threadedFaceDetector } from '../../apps/server/src/imaging/face-thread.ts';
import {
  createSubjectParts,
  FACE_INPUT_LONG_SIDE,
  type FacePixels,
} from '../../apps/server/src/imaging/faces.ts';
import { ingestBytes } from '../../apps/server/src/imaging/ingest.ts';
import { measureCropKeeping, type Timing } from '../../apps/server/src/imaging/testing/crop-keep.ts';
import { SUBJECT_ANNOTATIONS } from '../../apps/server/src/imaging/testing/subject-annotations.ts';
import { ALL_FORMATS } from '../../apps/server/src/social/platforms.ts';
import { realPhoto } from '../../test/support/real-photos.ts';
import { load, median, series, timeInto } from './measure.ts';

/**
 * crop-subjects: every hand-annotated real photo (imaging/testing/subject-annotations.ts) × every
 * social format, cropped by the product's smart crop, by libvips' attention crop and at the
 * centre; the share of crops that keep the annotated subject for each, in the same run. Time: the
 * smart crop's analysis per photo (decode at analysis size, blazeface + CenterNet + MoveNet on the
 * detector thread, saliency; one analysis serves every format) beside libvips' attention crop of
 * every format of the same photo. The models load before timing starts (reported apart). Then
 * detection alone, the product's two threads against the previous one-thread detector.
 */
export interface CropCaseResult {
  name: string;
  subjectLabel: string;
  subject: Timing;
  baselineLabel: string;
  baseline: Timing;
  notes: string[];
}

/**
 * Detection alone per annotated photo (decoded at analysis size), alternating in the same run:
 * the product's two detector threads (CenterNet beside blazeface, MoveNet only with a person in
 * view) against the previous detector, all three models in sequence on one thread, every time.
 */
async function detectionSplit(): Promise<string> {
  const oneThread = createSubjectParts();
  const sequential = async (p: FacePixels) => {
    await oneThread.faces(p);
    await oneThread.objects(p);
    await oneThread.bodies(p);
  };
  const limits = { maxUploadBytes: 64 * 1024 * 1024, maxInputPixels: 50_000_000 };
  const photos: FacePixels[] = [];
  for (const a of SUBJECT_ANNOTATIONS) {
    const image = await ingestBytes(realPhoto(a.photo), { limits });
    photos.push(
      await image.decodeRaw(
        Math.min(1, FACE_INPUT_LONG_SIDE / Math.max(image.width, image.height)),
        '#ffffff',
      ),
    );
  }
  await sequential(photos[0]!);
  const ours = series();
  const before = series();
  for (let round = 0; round < 2; round++) {
    for (const p of photos) {
      await timeInto(ours, () => threadedFaceDetector.detectSubjects(p));
      await timeInto(before, () => sequential(p));
    }
  }
  const ratio = (k: 'wall' | 'cpu') => (median(ours[k]) / median(before[k])).toFixed(2);
  const show = (t: typeof ours) => `${median(t.wall).toFixed(0)} ms (cpu ${median(t.cpu).toFixed(0)} ms)`;
  return `detection per photo, median of ${ours.wall.length}: two threads + MoveNet on demand ${show(ours)}, one thread all three models ${show(before)} (ratio ${ratio('wall')}× wall, ${ratio('cpu')}× cpu)`;
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
      await detectionSplit(),
      `models loaded in ${loadMs.toFixed(0)} ms before timing; load average ${load()}`,
    ],
  };
}
