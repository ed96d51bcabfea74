import ort from 'onnxruntime-node';
import { DETECTOR_MODELS, detectorModelDir } from '../model-files.ts';
import { encodeOnnxModel } from '../onnx/onnx-model.ts';
import { SessionLoader } from '../onnx/session-loader.ts';
import {
  BLAZEFACE_INPUT,
  BLAZEFACE_LOGITS,
  BLAZEFACE_REGRESSORS,
  buildBlazefaceGraph,
} from './blazeface-graph.ts';
import { type BlazefaceFace, decodeBlazeface } from './decode.ts';

/** RGB(A) pixels to look at, row-major, 8 bits per channel. */
export interface BlazefacePixels {
  data: Uint8Array;
  width: number;
  height: number;
  channels: 3 | 4;
}

/**
 * Intra-op threads: 1, because the detector thread shares the 2-core server with CenterNet's
 * (2 threads) and the photo's decode; see the bench `blazeface` and docs/local-models.md.
 */
export const BLAZEFACE_THREADS = 1;

/** The ONNX session of Human's blazeface, converted from its TF.js files when first needed. */
export const blazefaceSessionLoader = (threads = BLAZEFACE_THREADS): SessionLoader =>
  new SessionLoader(() => encodeOnnxModel(buildBlazefaceGraph(detectorModelDir(), DETECTOR_MODELS.faces)), {
    intraOpNumThreads: threads,
  });

/** [1, h, w, 3] float 0..255, the values Human casts its int32 input tensor to. */
function inputTensor({ data, width, height, channels }: BlazefacePixels): ort.Tensor {
  if (channels === 3) return new ort.Tensor('float32', Float32Array.from(data), [1, height, width, 3]);
  const rgb = new Float32Array(width * height * 3);
  for (let i = 0, j = 0; i < rgb.length; i += 3, j += channels) {
    rgb[i] = data[j]!;
    rgb[i + 1] = data[j + 1]!;
    rgb[i + 2] = data[j + 2]!;
  }
  return new ort.Tensor('float32', rgb, [1, height, width, 3]);
}

/** Blazeface's faces in one image through `session`, boxes in the image's pixels as Human reports them. */
export async function runBlazeface(
  session: ort.InferenceSession,
  pixels: BlazefacePixels,
): Promise<BlazefaceFace[]> {
  const input = inputTensor(pixels);
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

export interface BlazefaceDetectorOptions {
  log?: (message: string) => void;
  loader?: SessionLoader;
}

/**
 * Blazeface on onnxruntime: the session loads lazily on the first call and stays; a failed load
 * is logged once and every later call finds no faces, as Human did (smart crop then goes on with
 * objects and saliency). Calls run one after another on the caller's thread.
 */
export function createBlazefaceDetector(options: BlazefaceDetectorOptions = {}) {
  const log = options.log ?? ((m: string) => console.warn(m));
  const loader = options.loader ?? blazefaceSessionLoader();
  let session: Promise<ort.InferenceSession | undefined> | undefined;
  let queue: Promise<unknown> = Promise.resolve();

  const once = async (pixels: BlazefacePixels): Promise<BlazefaceFace[]> => {
    session ??= loader.load().catch((e: unknown) => {
      log(`Face detection unavailable, smart crop goes on without faces: ${String(e)}`);
      return undefined;
    });
    const loaded = await session;
    if (!loaded) return [];
    try {
      return await runBlazeface(loaded, pixels);
    } catch (e) {
      log(`Face detection failed on one image: ${String(e)}`);
      return [];
    }
  };

  return {
    detect(pixels: BlazefacePixels): Promise<BlazefaceFace[]> {
      const next = queue.then(() => once(pixels));
      queue = next.catch(() => undefined);
      return next;
    },
  };
}
