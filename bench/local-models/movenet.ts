import sharp from 'sharp';
import { FACE_INPUT_LONG_SIDE, type FacePixels } from '../../apps/server/src/imaging/faces.ts';
import {
  createMovenetDetector,
  MovenetSessionLoader,
} from '../../apps/server/src/imaging/local/movenet/movenet-session.ts';
import {
  createHumanRunner,
  type HumanModels,
} from '../../apps/server/src/imaging/testing/human-reference.ts';
import { SUBJECT_ANNOTATIONS } from '../../apps/server/src/imaging/testing/subject-annotations.ts';
import { decodeLoop, detectorPixels } from './centernet.ts';
import type { CropCaseResult } from './crop.ts';
import { load, median, type Series, series, timeInto } from './measure.ts';

/**
 * movenet: MoveNet lightning alone per annotated real photo at the detector's input size (long
 * side FACE_INPUT_LONG_SIDE), the product's ONNX graph on onnxruntime (1 and 2 intra-op threads,
 * with its TS pre-processing and head) against Human's tfjs-wasm model, alternating in the same
 * process; then the same while the other core decodes a 12 MP JPEG over and over, as in an export.
 */
const TFJS_MOVENET: HumanModels = { faces: false, objects: false, bodies: true };

export async function movenetCase(): Promise<CropCaseResult> {
  sharp.concurrency(1);
  const photos: FacePixels[] = [];
  for (const a of SUBJECT_ANNOTATIONS) photos.push(await detectorPixels(a.photo));
  const tfjs = createHumanRunner({ models: TFJS_MOVENET });
  const tfjsDetect = (p: FacePixels) => tfjs.run(p, TFJS_MOVENET, (r) => r.body, []);
  const one = createMovenetDetector({ loader: new MovenetSessionLoader(1) });
  const two = createMovenetDetector({ loader: new MovenetSessionLoader(2) });
  const started = performance.now();
  await one.detect(photos[0]!);
  const loadMs = performance.now() - started;
  await two.detect(photos[0]!);
  await tfjsDetect(photos[0]!);

  const round = async () => {
    const s = { tfjs: series(), one: series(), two: series() };
    for (let pass = 0; pass < 3; pass++) {
      for (const p of photos) {
        await timeInto(s.tfjs, () => tfjsDetect(p));
        await timeInto(s.one, () => one.detect(p));
        await timeInto(s.two, () => two.detect(p));
      }
    }
    return s;
  };
  const quiet = await round();
  const stop = { done: false };
  const decoding = decodeLoop(stop);
  const busy = await round();
  stop.done = true;
  const decodes = await decoding;

  const show = (s: Series) => `${median(s.wall).toFixed(1)} ms (cpu ${median(s.cpu).toFixed(1)} ms)`;
  // The decode loop's CPU counts in this process too, so beside it only wall time says anything.
  const wall = (s: Series) => `${median(s.wall).toFixed(1)} ms`;
  const ratio = (a: Series, b: Series) => (median(a.wall) / median(b.wall)).toFixed(2);
  const timing = (s: Series) => ({ wallMs: median(s.wall), cpuMs: median(s.cpu) });
  return {
    name: `MoveNet lightning per photo, ${photos.length} annotated real photos at ≤${FACE_INPUT_LONG_SIDE} px, 3 passes, median`,
    subjectLabel: 'ONNX graph on onnxruntime, 1 intra-op thread',
    subject: timing(quiet.one),
    baselineLabel: "Human's tfjs-wasm (the same weights)",
    baseline: timing(quiet.tfjs),
    notes: [
      `2 intra-op threads: ${show(quiet.two)} (${ratio(quiet.two, quiet.tfjs)}× tfjs-wasm; 2 threads / 1 thread ${ratio(quiet.two, quiet.one)}×)`,
      `beside a 12 MP decode loop on the other core (${decodes} decodes), wall: 1 thread ${wall(busy.one)}, 2 threads ${wall(busy.two)}, tfjs-wasm ${wall(busy.tfjs)} (1 thread ${ratio(busy.one, busy.tfjs)}×, 2 threads ${ratio(busy.two, busy.tfjs)}× tfjs-wasm)`,
      `ONNX graph built from the TF.js files and session created in ${loadMs.toFixed(0)} ms (first call, incl. one detection); load average ${load()}`,
    ],
  };
}
