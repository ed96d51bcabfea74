import type ort from 'onnxruntime-node';
import { DETECTOR_MODELS, detectorModelDir } from '../model-files.ts';
import { type DetectorOptions, lazyDetector } from '../onnx/lazy-detector.ts';
import { encodeOnnxModel } from '../onnx/onnx-model.ts';
import { type RgbPixels, rgbFloatTensor } from '../onnx/rgb-tensor.ts';
import { SessionLoader } from '../onnx/session-loader.ts';
import {
  BLAZEFACE_INPUT,
  BLAZEFACE_LOGITS,
  BLAZEFACE_REGRESSORS,
  buildBlazefaceGraph,
} from './blazeface-graph.ts';
import { type BlazefaceFace, decodeBlazeface } from './decode.ts';

/**
 * Intra-op threads: 1, because the detector thread shares the 2-core server with CenterNet and the
 * photo's decode; see the bench `blazeface` and docs/local-models.md.
 */
export const BLAZEFACE_THREADS = 1;

/** The ONNX session of Human's blazeface, converted from its TF.js files when first needed. */
export const blazefaceSessionLoader = (threads = BLAZEFACE_THREADS): SessionLoader =>
  new SessionLoader(() => encodeOnnxModel(buildBlazefaceGraph(detectorModelDir(), DETECTOR_MODELS.faces)), {
    intraOpNumThreads: threads,
  });

/** Blazeface's faces in one image through `session`, boxes in the image's pixels as Human reports them. */
export async function runBlazeface(
  session: ort.InferenceSession,
  pixels: RgbPixels,
): Promise<BlazefaceFace[]> {
  const input = rgbFloatTensor(pixels);
  try {
    const out = await session.run({ [BLAZEFACE_INPUT]: input });
    const logits = out[BLAZEFACE_LOGITS];
    const regressors = out[BLAZEFACE_REGRESSORS];
    try {
      if (!(logits?.data instanceof Float32Array) || !(regressors?.data instanceof Float32Array)) {
        throw new Error('Blazeface answered without its float heads');
      }
      return decodeBlazeface(logits.data, regressors.data, pixels.width, pixels.height);
    } finally {
      logits?.dispose();
      regressors?.dispose();
    }
  } finally {
    input.dispose();
  }
}

/** Blazeface on onnxruntime, loaded on first use (see `lazyDetector`). */
export const createBlazefaceDetector = (options: DetectorOptions = {}) =>
  lazyDetector({
    loader: options.loader ?? blazefaceSessionLoader(),
    ...(options.log ? { log: options.log } : {}),
    unavailable: 'Face detection unavailable, smart crop goes on without faces',
    failed: 'Face detection failed on one image',
    run: runBlazeface,
  });
