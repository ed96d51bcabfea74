import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config, Human } from '@vladmandic/human';
import { packageDir } from './local/package-dir.ts';

/** A detected face in source pixels. */
export interface FaceBox {
  left: number;
  top: number;
  width: number;
  height: number;
  score: number;
}

/** Pixels to look at and how they relate to the source: `scale` = raw pixels per source pixel. */
export interface FacePixels {
  data: Buffer;
  width: number;
  height: number;
  channels: 3 | 4;
  scale: number;
}

export interface FaceDetector {
  /** Faces found, largest first; an empty list when none are found or the model is unavailable. */
  detect(pixels: FacePixels): Promise<FaceBox[]>;
}

/** Blazeface resizes to 256² internally; a larger input only costs time for the tensor conversion. */
export const FACE_INPUT_LONG_SIDE = 640;

const require = createRequire(import.meta.url);

type HumanConstructor = new (config: Partial<Config>) => Human;

/**
 * Loads @vladmandic/human with only the face detector, fully offline: the Node wasm build by path
 * (its `exports` map lacks `./dist/...`), the wasm binaries from the local tfjs package, and model
 * files through a fetch that reads the disk, because Node's fetch refuses file:// URLs. The fetch
 * swap lasts only while models load and passes every other URL through unchanged.
 */
async function loadHuman(): Promise<Human> {
  const humanDir = packageDir('@vladmandic/human');
  const wasmDir = packageDir('@tensorflow/tfjs-backend-wasm');
  const { Human: HumanClass } = require(join(humanDir, 'dist', 'human.node-wasm.js')) as {
    Human: HumanConstructor;
  };
  const human = new HumanClass({
    backend: 'wasm',
    wasmPath: `${join(wasmDir, 'dist')}/`,
    modelBasePath: `file://${join(humanDir, 'models')}/`,
    debug: false,
    async: false,
    warmup: 'none',
    cacheSensitivity: 0,
    filter: { enabled: false },
    face: {
      enabled: true,
      detector: {
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
    body: { enabled: false },
    hand: { enabled: false },
    object: { enabled: false },
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

export interface FaceDetectorOptions {
  log?: (message: string) => void;
  load?: () => Promise<Human>;
}

/** Lazily loads the model on first use, once; a failed load is logged once and yields no faces. */
export function createFaceDetector(options: FaceDetectorOptions = {}): FaceDetector {
  const log = options.log ?? ((m: string) => console.warn(m));
  let loading: Promise<Human | undefined> | undefined;
  // Human keeps per-call state on the instance, so calls run one after another.
  let queue: Promise<unknown> = Promise.resolve();

  const model = () => {
    loading ??= (options.load ?? loadHuman)().catch((e: unknown) => {
      log(`Face detection unavailable, smart crop falls back to saliency: ${String(e)}`);
      return undefined;
    });
    return loading;
  };

  const run = async (pixels: FacePixels): Promise<FaceBox[]> => {
    const human = await model();
    if (!human) return [];
    const { data, width, height, channels, scale } = pixels;
    const rgb = channels === 3 ? data : dropAlpha(data, width, height);
    const tensor = human.tf.tensor(new Int32Array(rgb), [1, height, width, 3], 'int32');
    try {
      const result = await human.detect(tensor);
      return result.face
        .map((f) => {
          const [x, y, w, h] = f.box;
          return { left: x / scale, top: y / scale, width: w / scale, height: h / scale, score: f.boxScore };
        })
        .filter((b) => b.width > 0 && b.height > 0)
        .sort((a, b) => b.width * b.height - a.width * a.height);
    } catch (e) {
      log(`Face detection failed on one image: ${String(e)}`);
      return [];
    } finally {
      human.tf.dispose(tensor);
    }
  };

  return {
    detect(pixels) {
      const next = queue.then(() => run(pixels));
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

/** The process-wide detector: one model load shared by every caller. */
export const faceDetector = createFaceDetector();
