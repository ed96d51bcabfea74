import ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { lazyDetector } from './lazy-detector.ts';
import { encodeOnnxModel } from './onnx-model.ts';
import { SessionLoader } from './session-loader.ts';

/** y = x + x: the smallest real model, so the detector's own rules are what is tested. */
const doubling = () =>
  encodeOnnxModel({
    name: 'double',
    nodes: [{ op: 'Add', inputs: ['x', 'x'], output: 'y' }],
    initializers: [],
    inputs: [{ name: 'x', shape: [1] }],
    outputs: [{ name: 'y', shape: [1] }],
  });

async function doubled(session: ort.InferenceSession, value: number): Promise<number[]> {
  if (Number.isNaN(value)) throw new Error('not a number');
  const out = await session.run({ x: new ort.Tensor('float32', Float32Array.of(value), [1]) });
  const data = out.y?.data;
  if (!(data instanceof Float32Array)) throw new Error('no float output');
  return Array.from(data);
}

describe('lazyDetector', () => {
  it('loads its session once, on the first call, and answers from it in call order', async () => {
    const loader = new SessionLoader(doubling);
    const detector = lazyDetector({
      loader,
      log: () => undefined,
      unavailable: 'u',
      failed: 'f',
      run: doubled,
    });
    expect(loader.loaded).toBe(false);
    const answers = await Promise.all([1, 2, 3].map((v) => detector.detect(v)));
    expect(answers).toEqual([[2], [4], [6]]);
    expect(loader.built).toBe(1);
  });

  it('logs a model that cannot be built once, even when building throws at once, and finds nothing after', async () => {
    const logs: string[] = [];
    const loader = new SessionLoader(() => {
      throw new Error('blazeface.json is missing');
    });
    const detector = lazyDetector({
      loader,
      log: (m) => logs.push(m),
      unavailable: 'Face detection unavailable',
      failed: 'Face detection failed on one image',
      run: doubled,
    });
    expect(await detector.detect(1)).toEqual([]);
    expect(await detector.detect(2)).toEqual([]);
    expect(logs).toEqual(['Face detection unavailable: Error: blazeface.json is missing']);
  });

  it('logs an image the model failed on, finds nothing in it, and goes on with the next', async () => {
    const logs: string[] = [];
    const detector = lazyDetector({
      loader: new SessionLoader(doubling),
      log: (m) => logs.push(m),
      unavailable: 'u',
      failed: 'Pose detection failed on one image',
      run: doubled,
    });
    expect(await detector.detect(Number.NaN)).toEqual([]);
    expect(await detector.detect(5)).toEqual([10]);
    expect(logs).toEqual(['Pose detection failed on one image: Error: not a number']);
  });
});
