import type { Result } from '@vladmandic/human';
import sharp from 'sharp';
import { FACE_INPUT_LONG_SIDE, type FacePixels } from '../../apps/server/src/imaging/faces.ts';
import {
  createHumanRunner,
  type HumanModels,
} from '../../apps/server/src/imaging/testing/human-reference.ts';
import { SUBJECT_ANNOTATIONS } from '../../apps/server/src/imaging/testing/subject-annotations.ts';
import { type RealPhotoName, realPhoto } from '../../test/support/real-photos.ts';
import type { CropCaseResult } from './crop.ts';
import { load, median, type Series, series, timeInto } from './measure.ts';

/** One annotated photo at the detectors' input size (long side FACE_INPUT_LONG_SIDE), as RGB. */
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

interface Detector {
  detect(pixels: FacePixels): Promise<unknown[]>;
}

export interface DetectorCase {
  /** e.g. "Blazeface". */
  model: string;
  /** The Human model that is the reference, and what of its result to read. */
  tfjs: HumanModels;
  read: (result: Result) => unknown[];
  /** The ONNX detector on one and on two intra-op threads. */
  one: Detector;
  two: Detector;
  /** The thread count the product runs, reported as the subject. */
  productThreads: 1 | 2;
  passes: number;
}

/**
 * One detector alone per annotated real photo at the detectors' input size: the product's ONNX
 * graph on onnxruntime (1 and 2 intra-op threads) against Human's tfjs-wasm model, alternating in
 * the same process; then the same while the other core decodes a 12 MP JPEG over and over, as in
 * an export, where the detector runs beside the decode.
 */
export async function detectorVersusTfjs(c: DetectorCase): Promise<CropCaseResult> {
  sharp.concurrency(1);
  const photos: FacePixels[] = [];
  for (const a of SUBJECT_ANNOTATIONS) photos.push(await detectorPixels(a.photo));
  const tfjs = createHumanRunner({ models: c.tfjs });
  const tfjsDetect = (p: FacePixels) => tfjs.run(p, c.tfjs, c.read, []);
  const [product, other] = c.productThreads === 1 ? [c.one, c.two] : [c.two, c.one];
  const started = performance.now();
  await product.detect(photos[0]!);
  const loadMs = performance.now() - started;
  await other.detect(photos[0]!);
  await tfjsDetect(photos[0]!);

  const round = async () => {
    const s = { tfjs: series(), product: series(), other: series() };
    for (let pass = 0; pass < c.passes; pass++) {
      for (const p of photos) {
        await timeInto(s.tfjs, () => tfjsDetect(p));
        await timeInto(s.product, () => product.detect(p));
        await timeInto(s.other, () => other.detect(p));
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

  const byThreads = (r: Awaited<ReturnType<typeof round>>) =>
    c.productThreads === 1 ? { one: r.product, two: r.other } : { one: r.other, two: r.product };
  const q = byThreads(quiet);
  const b = byThreads(busy);
  const show = (s: Series) => `${median(s.wall).toFixed(1)} ms (cpu ${median(s.cpu).toFixed(1)} ms)`;
  // The decode loop's CPU counts in this process too, so beside it only wall time says anything.
  const wall = (s: Series) => `${median(s.wall).toFixed(1)} ms`;
  const ratio = (a: Series, b: Series) => (median(a.wall) / median(b.wall)).toFixed(2);
  const timing = (s: Series) => ({ wallMs: median(s.wall), cpuMs: median(s.cpu) });
  const otherLabel = c.productThreads === 1 ? '2 intra-op threads' : '1 intra-op thread';
  return {
    name: `${c.model} per photo, ${photos.length} annotated real photos at ≤${FACE_INPUT_LONG_SIDE} px, ${c.passes} pass${c.passes === 1 ? '' : 'es'}, median`,
    subjectLabel: `ONNX graph on onnxruntime, ${c.productThreads === 1 ? '1 intra-op thread' : '2 intra-op threads'}`,
    subject: timing(quiet.product),
    baselineLabel: "Human's tfjs-wasm (the same weights)",
    baseline: timing(quiet.tfjs),
    notes: [
      `${otherLabel}: ${show(quiet.other)} (${ratio(quiet.other, quiet.tfjs)}× tfjs-wasm; 2 threads / 1 thread ${ratio(q.two, q.one)}×)`,
      `beside a 12 MP decode loop on the other core (${decodes} decodes), wall: 1 thread ${wall(b.one)}, 2 threads ${wall(b.two)}, tfjs-wasm ${wall(busy.tfjs)} (1 thread ${ratio(b.one, busy.tfjs)}×, 2 threads ${ratio(b.two, busy.tfjs)}× tfjs-wasm)`,
      `ONNX graph built from the TF.js files and session created in ${loadMs.toFixed(0)} ms (first call, incl. one detection); load average ${load()}`,
    ],
  };
}
