import ort from 'onnxruntime-node';
import { DETECTOR_MODELS, detectorModelDir } from '../model-files.ts';
import { type DetectorOptions, lazyDetector } from '../onnx/lazy-detector.ts';
import { encodeOnnxModel } from '../onnx/onnx-model.ts';
import { SessionLoader } from '../onnx/session-loader.ts';
import { MOVENET_SIZE, type MovenetHeadConstants, movenetKeypoints } from './decode.ts';
import { type MovenetPixels, movenetInput } from './input.ts';
import {
  buildMovenetGraph,
  MOVENET_CENTERS,
  MOVENET_HEATMAP,
  MOVENET_INPUT,
  MOVENET_OFFSETS,
  MOVENET_REGRESS,
} from './movenet-graph.ts';
import { type MovenetBody, movenetBody } from './pose.ts';

/**
 * Intra-op threads: MoveNet lightning is ~12 ms of small convolutions at 192²; a second thread
 * costs about the same CPU and was slower idle and, at load ~6, beside a decode on the other core;
 * only at load 10–12, taking CPU from other processes, was it faster (bench `movenet`,
 * docs/local-models.md).
 */
export const MOVENET_THREADS = 1;

/** Where the TF.js model is read from: Human's MoveNet lightning unless said. */
export interface MovenetFiles {
  dir: string;
  file: string;
}

/** MoveNet's ONNX session and the head constants read with it from the same TF.js files. */
export class MovenetSessionLoader extends SessionLoader {
  private constants: MovenetHeadConstants | undefined;

  constructor(threads = MOVENET_THREADS, files?: MovenetFiles) {
    super(
      () => {
        const { dir, file } = files ?? { dir: detectorModelDir(), file: DETECTOR_MODELS.bodies };
        const { graph, head } = buildMovenetGraph(dir, file);
        this.constants = head;
        return encodeOnnxModel(graph);
      },
      { intraOpNumThreads: threads },
    );
  }

  /** The head's constants; known once `load` has built the graph. */
  get head(): MovenetHeadConstants {
    if (!this.constants) throw new Error('MoveNet: the session is not built yet');
    return this.constants;
  }
}

/** MoveNet's pose in one image through `session`, as Human reports it (`result.body[0]`). */
export async function runMovenet(
  session: ort.InferenceSession,
  head: MovenetHeadConstants,
  pixels: MovenetPixels,
): Promise<MovenetBody> {
  const input = new ort.Tensor('float32', movenetInput(pixels), [1, MOVENET_SIZE, MOVENET_SIZE, 3]);
  try {
    const out = await session.run({ [MOVENET_INPUT]: input });
    try {
      const [heatmap, centers, regress, offsets] = [
        MOVENET_HEATMAP,
        MOVENET_CENTERS,
        MOVENET_REGRESS,
        MOVENET_OFFSETS,
      ].map((name) => {
        const data = out[name]?.data;
        if (!(data instanceof Float32Array)) throw new Error(`MoveNet answered without its ${name} head`);
        return data;
      });
      const points = movenetKeypoints(
        { heatmap: heatmap!, centers: centers!, regress: regress!, offsets: offsets! },
        head,
      );
      return movenetBody(points, pixels.width, pixels.height);
    } finally {
      for (const t of Object.values(out)) t.dispose();
    }
  } finally {
    input.dispose();
  }
}

/** MoveNet on onnxruntime, loaded on first use (see `lazyDetector`): Human's `result.body`, one pose or none. */
export const createMovenetDetector = (options: DetectorOptions<MovenetSessionLoader> = {}) =>
  lazyDetector({
    loader: options.loader ?? new MovenetSessionLoader(),
    ...(options.log ? { log: options.log } : {}),
    unavailable: 'Pose detection unavailable, smart crop goes on without bodies',
    failed: 'Pose detection failed on one image',
    run: async (session, pixels: MovenetPixels, loader) => [await runMovenet(session, loader.head, pixels)],
  });
