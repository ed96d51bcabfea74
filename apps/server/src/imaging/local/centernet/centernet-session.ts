import ort from 'onnxruntime-node';
import { DETECTOR_MODELS, detectorModelDir } from '../model-files.ts';
import { encodeOnnxModel } from '../onnx/onnx-model.ts';
import { SessionLoader } from '../onnx/session-loader.ts';
import { buildCenternetGraph, CENTERNET_INPUT, CENTERNET_PEAKS, CENTERNET_WH } from './centernet-graph.ts';
import { type CenternetObject, decodeCenternet } from './decode.ts';

/** RGB(A) pixels to look at, row-major, 8 bits per channel. */
export interface CenternetPixels {
  data: Uint8Array;
  width: number;
  height: number;
  channels: 3 | 4;
}

/**
 * Intra-op threads: 2 measured fastest on the 2-core server even with the other core busy
 * decoding the photo (bench `centernet`, docs/local-models.md).
 */
export const CENTERNET_THREADS = 2;

/** The ONNX session of Human's CenterNet, converted from its TF.js files when first needed. */
export const centernetSessionLoader = (threads = CENTERNET_THREADS): SessionLoader =>
  new SessionLoader(() => encodeOnnxModel(buildCenternetGraph(detectorModelDir(), DETECTOR_MODELS.objects)), {
    intraOpNumThreads: threads,
  });

/** [1, h, w, 3] float 0..255, the values Human casts its int32 input tensor to. */
function inputTensor({ data, width, height, channels }: CenternetPixels): ort.Tensor {
  const rgb = new Float32Array(width * height * 3);
  for (let i = 0, j = 0; i < rgb.length; i += 3, j += channels) {
    rgb[i] = data[j]!;
    rgb[i + 1] = data[j + 1]!;
    rgb[i + 2] = data[j + 2]!;
  }
  return new ort.Tensor('float32', rgb, [1, height, width, 3]);
}

/** CenterNet's objects in one image through `session`, boxes in the image's pixels as Human reports them. */
export async function runCenternet(
  session: ort.InferenceSession,
  pixels: CenternetPixels,
): Promise<CenternetObject[]> {
  const input = inputTensor(pixels);
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

export interface CenternetDetectorOptions {
  log?: (message: string) => void;
  loader?: SessionLoader;
}

/**
 * CenterNet on onnxruntime: the session loads lazily on the first call and stays; a failed load
 * is logged once and every later call finds nothing, as the Human models do (smart crop then falls
 * back to faces and saliency). Calls run one after another on the caller's thread.
 */
export function createCenternetDetector(options: CenternetDetectorOptions = {}) {
  const log = options.log ?? ((m: string) => console.warn(m));
  const loader = options.loader ?? centernetSessionLoader();
  let session: Promise<ort.InferenceSession | undefined> | undefined;
  let queue: Promise<unknown> = Promise.resolve();

  const once = async (pixels: CenternetPixels): Promise<CenternetObject[]> => {
    session ??= loader.load().catch((e: unknown) => {
      log(`Object detection unavailable, smart crop goes on without objects: ${String(e)}`);
      return undefined;
    });
    const loaded = await session;
    if (!loaded) return [];
    try {
      return await runCenternet(loaded, pixels);
    } catch (e) {
      log(`Object detection failed on one image: ${String(e)}`);
      return [];
    }
  };

  return {
    detect(pixels: CenternetPixels): Promise<CenternetObject[]> {
      const next = queue.then(() => once(pixels));
      queue = next.catch(() => undefined);
      return next;
    },
  };
}
