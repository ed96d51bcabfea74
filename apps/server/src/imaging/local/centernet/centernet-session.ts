import type ort from 'onnxruntime-node';
import { DETECTOR_MODELS, detectorModelDir } from '../model-files.ts';
import { type DetectorOptions, lazyDetector } from '../onnx/lazy-detector.ts';
import { encodeOnnxModel } from '../onnx/onnx-model.ts';
import { type RgbPixels, rgbFloatTensor } from '../onnx/rgb-tensor.ts';
import { SessionLoader } from '../onnx/session-loader.ts';
import { buildCenternetGraph, CENTERNET_INPUT, CENTERNET_PEAKS, CENTERNET_WH } from './centernet-graph.ts';
import { type CenternetObject, decodeCenternet } from './decode.ts';

/**
 * Intra-op threads. Beside other heavy work (an export's full decode, other requests and jobs) 2
 * threads on the 2-core server detect no faster than 1 (beside a decode loop 60–75 ms either way)
 * for ~20% more CPU, which under load costs throughput (docs/local-models.md).
 */
export const CENTERNET_THREADS = 1;
/**
 * Intra-op threads when nothing else is admitted (a preview on a quiet server, whose other work is
 * blazeface, MoveNet and saliency): 0.78× the time of one thread (bench `centernet`), and the very
 * same detections (centernet.test.ts).
 */
export const CENTERNET_SPARE_CORE_THREADS = 2;

/** The ONNX session of Human's CenterNet, converted from its TF.js files when first needed. */
export const centernetSessionLoader = (threads = CENTERNET_THREADS): SessionLoader =>
  new SessionLoader(() => encodeOnnxModel(buildCenternetGraph(detectorModelDir(), DETECTOR_MODELS.objects)), {
    intraOpNumThreads: threads,
  });

/** CenterNet's objects in one image through `session`, boxes in the image's pixels as Human reports them. */
export async function runCenternet(
  session: ort.InferenceSession,
  pixels: RgbPixels,
): Promise<CenternetObject[]> {
  const input = rgbFloatTensor(pixels);
  try {
    const out = await session.run({ [CENTERNET_INPUT]: input });
    const peaks = out[CENTERNET_PEAKS];
    const wh = out[CENTERNET_WH];
    try {
      if (!(peaks?.data instanceof Float32Array) || !(wh?.data instanceof Float32Array)) {
        throw new Error('CenterNet answered without its float heads');
      }
      return decodeCenternet({ peaks: peaks.data, wh: wh.data }, pixels.width, pixels.height);
    } finally {
      peaks?.dispose();
      wh?.dispose();
    }
  } finally {
    input.dispose();
  }
}

/** CenterNet on onnxruntime, loaded on first use (see `lazyDetector`). */
export const createCenternetDetector = (options: DetectorOptions = {}) =>
  lazyDetector({
    loader: options.loader ?? centernetSessionLoader(),
    ...(options.log ? { log: options.log } : {}),
    unavailable: 'Object detection unavailable, smart crop goes on without objects',
    failed: 'Object detection failed on one image',
    run: runCenternet,
  });
