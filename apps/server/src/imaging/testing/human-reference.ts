import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config, Human, Result } from '@vladmandic/human';
import type { FacePixels } from '../faces.ts';
import { DETECTOR_MODELS, detectorModelDir } from '../local/model-files.ts';
import { packageDir } from '../local/package-dir.ts';

/**
 * Which models an instance loads, or a call runs (only among those its instance loaded). The
 * product runs none of them in Human any more: each is only the reference its onnxruntime twin is
 * checked and measured against.
 */
export interface HumanModels {
  /**
   * Blazeface on tfjs-wasm: only the reference that `local/blazeface/` (the same weights on
   * onnxruntime, what the product runs) is checked and measured against.
   */
  faces: boolean;
  /**
   * CenterNet (80 COCO classes) on tfjs-wasm: only the reference that `local/centernet/` (the same
   * weights on onnxruntime, what the product runs) is checked and measured against.
   */
  objects: boolean;
  /**
   * MoveNet lightning (one body pose) on tfjs-wasm: only the reference that `local/movenet/` (the
   * same weights on onnxruntime, what the product runs) is checked and measured against.
   */
  bodies: boolean;
}

const require = createRequire(import.meta.url);

type HumanConstructor = new (config: Partial<Config>) => Human;

/**
 * Loads @vladmandic/human with the chosen reference models of blazeface, MoveNet and CenterNet
 * (the weights ship in the package),
 * fully offline: the Node wasm build by path (its `exports` map lacks `./dist/...`), the wasm
 * binaries from the local tfjs package, and model files through a fetch that reads the disk,
 * because Node's fetch refuses file:// URLs. The fetch swap lasts only while models load and passes
 * every other URL through unchanged.
 */
export async function loadHuman(models: HumanModels): Promise<Human> {
  const humanDir = packageDir('@vladmandic/human');
  const wasmDir = packageDir('@tensorflow/tfjs-backend-wasm');
  const { Human: HumanClass } = require(join(humanDir, 'dist', 'human.node-wasm.js')) as {
    Human: HumanConstructor;
  };
  const human = new HumanClass({
    backend: 'wasm',
    wasmPath: `${join(wasmDir, 'dist')}/`,
    modelBasePath: `file://${detectorModelDir()}/`,
    debug: false,
    async: false,
    warmup: 'none',
    cacheSensitivity: 0,
    filter: { enabled: false },
    face: {
      enabled: models.faces,
      detector: {
        modelPath: DETECTOR_MODELS.faces,
        rotation: false,
        maxDetected: 20,
        minConfidence: 0.5,
        skipFrames: 0,
        skipTime: 0,
        return: false,
      },
      mesh: { enabled: false },
      iris: { enabled: false },
      emotion: { enabled: false },
      description: { enabled: false },
      antispoof: { enabled: false },
      liveness: { enabled: false },
      attention: { enabled: false },
    },
    body: {
      enabled: models.bodies,
      modelPath: DETECTOR_MODELS.bodies,
      maxDetected: -1,
      minConfidence: 0.3,
      skipFrames: 0,
      skipTime: 0,
    },
    hand: { enabled: false },
    object: {
      enabled: models.objects,
      modelPath: DETECTOR_MODELS.objects,
      minConfidence: 0.2,
      iouThreshold: 0.4,
      maxDetected: 20,
      skipFrames: 0,
      skipTime: 0,
    },
    gesture: { enabled: false },
    segmentation: { enabled: false },
  } as Partial<Config>);
  const networkFetch = globalThis.fetch;
  const diskFetch: typeof fetch = async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (url.startsWith('file://')) return new Response(await readFile(fileURLToPath(url)));
    return networkFetch(input, init);
  };
  globalThis.fetch = diskFetch;
  try {
    await human.load();
  } finally {
    globalThis.fetch = networkFetch;
  }
  return human;
}

export interface HumanRunnerOptions {
  log?: (message: string) => void;
  /** The models to load. */
  models: HumanModels;
}

/**
 * One Human instance, loaded lazily on first use and once; a failed load is logged once and every
 * later call answers `fallback`. Human keeps per-call state on the instance, so calls run one after
 * another.
 */
export function createHumanRunner(options: HumanRunnerOptions) {
  const log = options.log ?? ((m: string) => console.warn(m));
  let loading: Promise<Human | undefined> | undefined;
  let queue: Promise<unknown> = Promise.resolve();

  const model = () => {
    loading ??= loadHuman(options.models).catch((e: unknown) => {
      log(`Subject detection unavailable, smart crop falls back to saliency: ${String(e)}`);
      return undefined;
    });
    return loading;
  };

  const once = async <T>(
    pixels: FacePixels,
    models: HumanModels,
    read: (result: Result) => T,
    fallback: T,
  ): Promise<T> => {
    const human = await model();
    if (!human) return fallback;
    const { data, width, height, channels } = pixels;
    const rgb = channels === 3 ? data : dropAlpha(data, width, height);
    const tensor = human.tf.tensor(new Int32Array(rgb), [1, height, width, 3], 'int32');
    try {
      // Human merges a call's config into the instance's, so every call states every switch.
      const on = {
        face: { enabled: models.faces },
        body: { enabled: models.bodies },
        object: { enabled: models.objects },
      };
      return read(await human.detect(tensor, on));
    } catch (e) {
      log(`Subject detection failed on one image: ${String(e)}`);
      return fallback;
    } finally {
      human.tf.dispose(tensor);
    }
  };

  return {
    run<T>(pixels: FacePixels, models: HumanModels, read: (result: Result) => T, fallback: T): Promise<T> {
      const next = queue.then(() => once(pixels, models, read, fallback));
      queue = next.catch(() => undefined);
      return next;
    },
  };
}

function dropAlpha(data: Buffer, width: number, height: number): Buffer {
  const out = Buffer.alloc(width * height * 3);
  for (let i = 0, j = 0; i < out.length; i += 3, j += 4) {
    out[i] = data[j]!;
    out[i + 1] = data[j + 1]!;
    out[i + 2] = data[j + 2]!;
  }
  return out;
}
