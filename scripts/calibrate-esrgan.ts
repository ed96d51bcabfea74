import { writeFileSync } from 'node:fs';
import ort from 'onnxruntime-node';
import sharp from 'sharp';
import { esrganModelDir } from '../apps/server/src/imaging/local/model-files.ts';
import { encodeOnnxModel } from '../apps/server/src/imaging/local/onnx/onnx-model.ts';
import {
  buildEsrganGraph,
  ESRGAN_INPUT,
} from '../apps/server/src/imaging/local/super-resolution/esrgan-graph.ts';
import { convActivations, type Range } from '../apps/server/src/imaging/local/super-resolution/quantize.ts';
import { realPhoto } from '../test/support/real-photos.ts';

/**
 * Writes esrgan-ranges.ts: the range of every Conv activation of the float esrgan-thick graph over
 * 64² crops of real photographs (test/support/real-photos.ts), for its int8 form. Run after the
 * model or graph changes: node --import tsx scripts/calibrate-esrgan.ts
 */
const CROPS = [
  ['garden', 800, 600],
  ['street', 300, 200],
  ['faces', 900, 180],
  ['dune', 500, 400],
  ['wood', 1200, 900],
  ['baboon', 200, 200],
  ['building', 400, 300],
  ['fruits', 200, 200],
] as const;
const SIZE = 64;

const graph = buildEsrganGraph(esrganModelDir());
const names = convActivations(graph);
const output = graph.outputs[0]!.name;
const calibration = {
  ...graph,
  outputs: [
    ...graph.outputs,
    ...names.filter((n) => n !== output).map((name) => ({ name, shape: [1, 'c', 'h', 'w'] })),
  ],
};
const session = await ort.InferenceSession.create(encodeOnnxModel(calibration), { intraOpNumThreads: 2 });
const ranges = new Map<string, Range>();
for (const [photo, left, top] of CROPS) {
  const rgb = await sharp(realPhoto(photo))
    .extract({ left, top, width: SIZE, height: SIZE })
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer();
  const input = new Float32Array(3 * SIZE * SIZE);
  for (let i = 0; i < SIZE * SIZE; i++)
    for (let c = 0; c < 3; c++) input[c * SIZE * SIZE + i] = rgb[i * 3 + c]! / 255;
  const result = await session.run({ [ESRGAN_INPUT]: new ort.Tensor('float32', input, [1, 3, SIZE, SIZE]) });
  for (const name of names) {
    const tensor = result[name];
    if (!tensor || !(tensor.data instanceof Float32Array)) throw new Error(`no float output ${name}`);
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (const v of tensor.data) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    const seen = ranges.get(name);
    ranges.set(name, { min: Math.min(seen?.min ?? min, min), max: Math.max(seen?.max ?? max, max) });
  }
}
const lines = [...ranges].map(
  ([name, r]) => `  '${name}': [${r.min.toPrecision(6)}, ${r.max.toPrecision(6)}],`,
);
writeFileSync(
  new URL('../apps/server/src/imaging/local/super-resolution/esrgan-ranges.ts', import.meta.url),
  `/**
 * Activation ranges [min, max] of every Conv input and output of the float esrgan-thick 4× graph,
 * observed on ${CROPS.length} 64² crops of real photographs: the int8 form's quantisation parameters.
 * Crops: ${CROPS.map((c) => c[0]).join(', ')}.
 * Written by scripts/calibrate-esrgan.ts (source: @upscalerjs/esrgan-thick weights; verified ${new Date().toISOString().slice(0, 10)}).
 */
export const ESRGAN_RANGES: Readonly<Record<string, readonly [number, number]>> = {
${lines.join('\n')}
};
`,
);
process.stdout.write(`${ranges.size} ranges written\n`);
process.exit(0);
