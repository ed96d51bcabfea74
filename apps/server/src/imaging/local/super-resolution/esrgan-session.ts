import { esrganModelDir } from '../model-files.ts';
import { encodeOnnxModel } from '../onnx/onnx-model.ts';
import { SessionLoader } from '../onnx/session-loader.ts';
import { buildEsrganGraph } from './esrgan-graph.ts';
import { ESRGAN_RANGES } from './esrgan-ranges.ts';
import { quantizeConvs } from './quantize.ts';

const calibrated = new Map(Object.entries(ESRGAN_RANGES).map(([name, [min, max]]) => [name, { min, max }]));

/**
 * UpscalerJS's esrgan-thick 4× (RRDN, MIT weights) rebuilt as an ONNX graph from the package's
 * TF.js weights and run natively by onnxruntime, which is ~20× faster than tfjs-wasm here. Its
 * convolutions run in int8 (QDQ, calibrated on real photos): ~2.7× less CPU than float32, output
 * within ~47 dB PSNR of the float graph's (measured: docs/local-models.md). Loaded in the model
 * process (onnx/model-process.ts), where a canceled tile can be stopped.
 */
export const esrganThick4x = new SessionLoader(() =>
  encodeOnnxModel(quantizeConvs(buildEsrganGraph(esrganModelDir()), calibrated)),
);
