import sharp from 'sharp';
import { FACE_INPUT_LONG_SIDE, type FacePixels } from '../../apps/server/src/imaging/faces.ts';
import {
  centernetSessionLoader,
  createCenternetDetector,
} from '../../apps/server/src/imaging/local/centernet/centernet-session.ts';
import {
  createHumanRunner,
  type HumanModels,
} from '../../apps/server/src/imaging/testing/human-reference.ts';
import { SUBJECT_ANNOTATIONS } from '../../apps/server/src/imaging/testing/subject-annotations.ts';
import { type RealPhotoName, realPhoto } from '../../test/support/real-photos.ts';
import type { CropCaseResult } from './crop.ts';
import { load, median, type Series, series, timeInto } from './measure.ts';

/**
 * centernet: CenterNet alone per annotated real photo at the detector's input size (long side
 * FACE_INPUT_LONG_SIDE), the product's ONNX graph on onnxruntime (2 and 1 intra-op threads) against
 * Human's tfjs-wasm model, alternating in the same process; then the same while the other core
 * decodes a 12 MP JPEG over and over, as in an export, where the detector runs beside the decode.
 */
const TFJS_CENTERNET: HumanModels = { faces: false, objects: true, bodies: false };

export async function detectorPixels(name: RealPhotoName): Promise<FacePixels> {
  const photo = sharp(realPhoto(name));
  const { width = 1, height = 1 } = await photo.metadata();
  const k = Math.min(1, FACE_INPUT_LONG_SIDE / Math.max(width, height));
  const { data, info } = await photo
    .removeAlpha()
    .resize(Math.round(width * k), Math.round(height * k))
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: 3, scale: k };
}

/** Decodes a 12 MP JPEG on one libvips thread until `stop` is set: the export's other core. */
export async function decodeLoop(stop: { done: boolean }): Promise<number> {
  const jpeg = await sharp({
    create: {
      width: 4000,
      height: 3000,
      channels: 3,
      background: '#808080',
      noise: { type: 'gaussian', mean: 128, sigma: 30 },
    },
  })
    .jpeg({ quality: 90 })
    .toBuffer();
  let decodes = 0;
  while (!stop.done) {
    await sharp(jpeg).raw().toBuffer();
    decodes++;
  }
  return decodes;
}

export async function centernetCase(): Promise<CropCaseResult> {
  sharp.concurrency(1);
  const photos: FacePixels[] = [];
  for (const a of SUBJECT_ANNOTATIONS) photos.push(await detectorPixels(a.photo));
  const tfjs = createHumanRunner({ models: TFJS_CENTERNET });
  const tfjsDetect = (p: FacePixels) => tfjs.run(p, TFJS_CENTERNET, (r) => r.object, []);
  const two = createCenternetDetector({ loader: centernetSessionLoader(2) });
  const one = createCenternetDetector({ loader: centernetSessionLoader(1) });
  const started = performance.now();
  await two.detect(photos[0]!);
  const loadMs = performance.now() - started;
  await one.detect(photos[0]!);
  await tfjsDetect(photos[0]!);

  const round = async () => {
    const s = { tfjs: series(), two: series(), one: series() };
    for (const p of photos) {
      await timeInto(s.tfjs, () => tfjsDetect(p));
      await timeInto(s.two, () => two.detect(p));
      await timeInto(s.one, () => one.detect(p));
    }
    return s;
  };
  const quiet = await round();
  const stop = { done: false };
  const decoding = decodeLoop(stop);
  const busy = await round();
  stop.done = true;
  const decodes = await decoding;

  const show = (s: Series) => `${median(s.wall).toFixed(0)} ms (cpu ${median(s.cpu).toFixed(0)} ms)`;
  // The decode loop's CPU counts in this process too, so beside it only wall time says anything.
  const wall = (s: Series) => `${median(s.wall).toFixed(0)} ms`;
  const ratio = (a: Series, b: Series) => (median(a.wall) / median(b.wall)).toFixed(2);
  const timing = (s: Series) => ({ wallMs: median(s.wall), cpuMs: median(s.cpu) });
  return {
    name: `CenterNet per photo, ${photos.length} annotated real photos at ≤${FACE_INPUT_LONG_SIDE} px, median`,
    subjectLabel: 'ONNX graph on onnxruntime, 2 intra-op threads',
    subject: timing(quiet.two),
    baselineLabel: "Human's tfjs-wasm (the same weights)",
    baseline: timing(quiet.tfjs),
    notes: [
      `1 intra-op thread: ${show(quiet.one)} (${ratio(quiet.one, quiet.tfjs)}× tfjs-wasm; 2 threads / 1 thread ${ratio(quiet.two, quiet.one)}×)`,
      `beside a 12 MP decode loop on the other core (${decodes} decodes), wall: 2 threads ${wall(busy.two)}, 1 thread ${wall(busy.one)}, tfjs-wasm ${wall(busy.tfjs)} (2 threads ${ratio(busy.two, busy.tfjs)}×, 1 thread ${ratio(busy.one, busy.tfjs)}× tfjs-wasm)`,
      `ONNX graph built from the TF.js files and session created in ${loadMs.toFixed(0)} ms (first call, incl. one detection); load average ${load()}`,
    ],
  };
}
