import { esrganModelDir } from '../model-files.ts';
import { encodeOnnxModel } from '../onnx/onnx-model.ts';
import { SessionLoader } from '../onnx/session-loader.ts';
import { ESRGAN_FLOAT_CONVS } from './esrgan-float-convs.ts';
import { buildEsrganGraph } from './esrgan-graph.ts';
import { ESRGAN_RANGES } from './esrgan-ranges.ts';
import { quantizeConvs } from './quantize.ts';

/** ESRGAN_RANGES as the quantiser takes them. */
export const esrganCalibration = new Map(
  Object.entries(ESRGAN_RANGES).map(([name, [min, max]]) => [name, { min, max }]),
);

/** The graph the product runs: int8 but for ESRGAN_FLOAT_CONVS. */
export const esrganMixedGraph = () =>
  quantizeConvs(buildEsrganGraph(esrganModelDir()), esrganCalibration, { floatConvs: ESRGAN_FLOAT_CONVS });

/**
 * UpscalerJS's esrgan-thick 4× (RRDN, MIT weights) rebuilt as an ONNX graph from the package's
 * TF.js weights and run natively by onnxruntime, which is ~20× faster than tfjs-wasm here. Its
 * convolutions run in int8 (QDQ, calibrated on real photos) but for the cheap head and tail convs
 * whose rounding costs the most quality: ~3× less CPU than float32, the same gain over Lanczos on
 * a real portrait crop (measured: docs/local-models.md). Loaded in the model process
 * (onnx/model-process.ts), where a canceled tile can be stopped.
 */
export const esrganThick4x = new SessionLoader(() => encodeOnnxModel(esrganMixedGraph()));
