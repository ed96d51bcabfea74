import ort from 'onnxruntime-node';
import type { FloatTensor, ModelCall, ModelName } from './onnx-thread.ts';
import type { SessionLoader } from './session-loader.ts';

/**
 * Each model's session loader, imported on first use: the model process only ever serves
 * ESRGAN, so it never loads ISNet's or OCR's modules (nor sharp, which they import).
 */
const LOADERS: Record<ModelName, () => Promise<SessionLoader>> = {
  isnet: async () => (await import('../background-removal.ts')).isnet,
  'esrgan-thick-4x': async () => (await import('../super-resolution/esrgan-session.ts')).esrganThick4x,
  'ppocr-det': async () => (await import('../ocr/ocr-models.ts')).ppocrDetection,
  'ppocr-rec': async () => (await import('../ocr/ocr-models.ts')).ppocrRecognition,
};

export const sessionLoader = (model: ModelName): Promise<SessionLoader> => LOADERS[model]();

/**
 * Runs one call on this thread's session of the model (loaded on first use, then kept).
 * `onRun` is called once the session is ready, just before the inference starts.
 */
export async function infer(
  { model, inputs, outputs }: ModelCall,
  onRun?: () => void,
): Promise<FloatTensor[]> {
  const session = await (await sessionLoader(model)).load();
  const feeds: Record<string, ort.Tensor> = {};
  session.inputNames.forEach((name, i) => {
    const t = inputs[i];
    if (t) feeds[name] = new ort.Tensor('float32', t.data, t.dims);
  });
  const names = outputs ?? session.outputNames;
  onRun?.();
  const result = await session.run(feeds, names);
  for (const t of Object.values(feeds)) t.dispose();
  return names.map((name) => {
    const t = result[name];
    if (!t) throw new Error(`${model} has no output "${name}"`);
    // Copied out of onnxruntime's memory before the tensor is released.
    const out = { data: Float32Array.from(t.data as Float32Array), dims: [...t.dims] };
    t.dispose();
    return out;
  });
}
