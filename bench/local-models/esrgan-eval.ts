import ort from 'onnxruntime-node';
import sharp from 'sharp';
import { encodeOnnxModel, type OnnxGraph } from '../../apps/server/src/imaging/local/onnx/onnx-model.ts';
import type { RawImage } from '../../apps/server/src/imaging/local/raw-image.ts';
import { ESRGAN_INPUT } from '../../apps/server/src/imaging/local/super-resolution/esrgan-graph.ts';
import { psnr } from '../../apps/server/src/imaging/local/testing/metrics.ts';
import { type RealPhotoName, realPhoto } from '../../test/support/real-photos.ts';

/**
 * Quality of an esrgan-thick graph as the super-resolution test measures it: 256² crops of real
 * photos shrunk 4× (bicubic) and restored, PSNR gain over sharp lanczos3 (4 px border ignored).
 * The first crop is the test's portrait; the others guard against tuning for it alone (a street,
 * fur, an animal, an insect, other portraits, and a smooth blurred background where rounding
 * noise shows most).
 */
export const ESRGAN_CROPS: readonly (readonly [RealPhotoName, number, number])[] = [
  ['faces', 900, 180],
  ['faces', 200, 40],
  ['faces', 500, 500],
  ['street', 300, 200],
  ['baboon', 100, 100],
  ['squirrel', 150, 100],
  ['butterfly', 120, 60],
  ['garden', 1100, 500],
];

interface Sample {
  hr: RawImage;
  lr: Float32Array;
  lanczosDb: number;
}

async function sample([name, left, top]: readonly [RealPhotoName, number, number]): Promise<Sample> {
  const data = await sharp(realPhoto(name))
    .extract({ left, top, width: 256, height: 256 })
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer();
  const hr: RawImage = { data, width: 256, height: 256, channels: 3 };
  const lr = await sharp(data, { raw: { width: 256, height: 256, channels: 3 } })
    .resize(64, 64, { kernel: 'cubic' })
    .raw()
    .toBuffer();
  const lanczos = await sharp(lr, { raw: { width: 64, height: 64, channels: 3 } })
    .resize(256, 256, { kernel: 'lanczos3' })
    .raw()
    .toBuffer();
  const input = new Float32Array(3 * 64 * 64);
  for (let i = 0; i < 64 * 64; i++) for (let c = 0; c < 3; c++) input[c * 4096 + i] = lr[i * 3 + c]! / 255;
  return { hr, lr: input, lanczosDb: psnr({ data: lanczos, width: 256, height: 256, channels: 3 }, hr, 4) };
}

let samples: Promise<Sample[]> | undefined;

/** The session options of the product's SessionLoader (onnx/session-loader.ts). */
export const SESSION_OPTIONS: ort.InferenceSession.SessionOptions = {
  intraOpNumThreads: 2,
  interOpNumThreads: 1,
  graphOptimizationLevel: 'all',
  extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
};

/** Gain in dB over lanczos3 on each of ESRGAN_CROPS. */
export async function gainsOverLanczos(graph: OnnxGraph): Promise<number[]> {
  samples ??= Promise.all(ESRGAN_CROPS.map(sample));
  const session = await ort.InferenceSession.create(encodeOnnxModel(graph), SESSION_OPTIONS);
  const out: number[] = [];
  const plane = 256 * 256;
  for (const s of await samples) {
    const result = await session.run({ [ESRGAN_INPUT]: new ort.Tensor('float32', s.lr, [1, 3, 64, 64]) });
    const data = result[session.outputNames[0]!]!.data;
    if (!(data instanceof Float32Array)) throw new Error('esrgan output is not float32');
    const px = Buffer.alloc(plane * 3);
    for (let i = 0; i < plane; i++)
      for (let c = 0; c < 3; c++)
        px[i * 3 + c] = Math.round(Math.min(1, Math.max(0, data[c * plane + i]!)) * 255);
    out.push(psnr({ data: px, width: 256, height: 256, channels: 3 }, s.hr, 4) - s.lanczosDb);
  }
  await session.release();
  return out;
}

export const cropLabel = ([name, left, top]: readonly [string, number, number]): string =>
  `${name}@${left},${top}`;

export const dbRow = (xs: number[]): string => xs.map((x) => `${x >= 0 ? '+' : ''}${x.toFixed(2)}`).join(' ');
