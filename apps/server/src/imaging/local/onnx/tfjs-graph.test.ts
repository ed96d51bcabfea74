import ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { encodeOnnxModel } from './onnx-model.ts';
import { convertTfjsGraph, type TfjsConversion } from './tfjs-graph.ts';
import type { TfjsGraph, TfjsNode, TfjsTensor } from './tfjs-model.ts';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const node = (name: string, op: string, input: string[], attr: TfjsNode['attr'] = {}): TfjsNode => ({
  name,
  op,
  input,
  attr,
});
const ints = (...i: number[]) => ({ list: { i } });

/** The graph's input is NHWC as in TF; the converter works in NCHW from the placeholder on. */
const nchwInput: TfjsConversion['input'] = (n, g) =>
  g.push('Transpose', ['x'], n.name, { perm: [0, 3, 1, 2] });

async function run(graph: TfjsGraph, output: string, x: Float32Array, shape: number[], outShape: number[]) {
  const b = convertTfjsGraph(graph, { model: 'Test', outputs: [output], input: nchwInput });
  b.push('Identity', [b.name(output)], 'y');
  const bytes = encodeOnnxModel({
    name: 'test',
    nodes: b.nodes,
    initializers: b.initializers,
    inputs: [{ name: 'x', shape }],
    outputs: [{ name: 'y', shape: outShape }],
  });
  const session = await ort.InferenceSession.create(bytes);
  const out = await session.run({ x: new ort.Tensor('float32', x, shape) });
  return { dims: out.y!.dims, data: [...(out.y!.data as Float32Array)] };
}

const tensor = (shape: number[], values: number[]): TfjsTensor => ({ shape, data: Int32Array.from(values) });

describe('convertTfjsGraph', () => {
  it('pads channels, max-pools and reshapes in TF order, whatever layout it computes in', async () => {
    // x: [1, 2, 4, 2] NHWC, value = 100·y + 10·x + c.
    const x = new Float32Array(16);
    for (let y = 0; y < 2; y++)
      for (let i = 0; i < 4; i++) for (let c = 0; c < 2; c++) x[(y * 4 + i) * 2 + c] = 100 * y + 10 * i + c;
    const graph: TfjsGraph = {
      nodes: [
        node('in', 'Placeholder', []),
        node('pool', 'MaxPool', ['in'], {
          ksize: ints(1, 2, 2, 1),
          strides: ints(1, 2, 2, 1),
          padding: { s: b64('VALID') },
        }),
        node('pads', 'Const', []),
        node('pad', 'Pad', ['pool', 'pads']),
        node('shape', 'Const', []),
        node('flat', 'Reshape', ['pad', 'shape']),
        node('out', 'Identity', ['flat']),
      ],
      weights: new Map([
        // One zero channel after the two: [[0, 0], [0, 0], [0, 0], [0, 1]].
        ['pads', tensor([4, 2], [0, 0, 0, 0, 0, 0, 0, 1])],
        ['shape', tensor([3], [1, -1, 3])],
      ]),
    };
    const y = await run(graph, 'out', x, [1, 2, 4, 2], [1, 2, 3]);
    // The pool keeps each 2×2 block's bottom-right (y 1, x 1 and 3); rows are TF's [x][channel].
    expect(y.dims).toEqual([1, 2, 3]);
    expect(y.data).toEqual([110, 111, 0, 130, 131, 0]);
  });

  it('names the op it cannot convert', () => {
    const graph: TfjsGraph = {
      nodes: [node('in', 'Placeholder', []), node('out', 'Erf', ['in'])],
      weights: new Map(),
    };
    expect(() => convertTfjsGraph(graph, { model: 'Test', outputs: ['out'], input: nchwInput })).toThrow(
      'Test: unsupported op Erf (out)',
    );
  });

  it('refuses a spatial op on a reshaped tensor instead of pooling the wrong axes', () => {
    const graph: TfjsGraph = {
      nodes: [
        node('in', 'Placeholder', []),
        node('shape', 'Const', []),
        node('r', 'Reshape', ['in', 'shape']),
        node('out', 'MaxPool', ['r'], {
          ksize: ints(1, 2, 2, 1),
          strides: ints(1, 2, 2, 1),
          padding: { s: b64('SAME') },
        }),
      ],
      weights: new Map([['shape', tensor([4], [1, 4, 2, 2])]]),
    };
    expect(() => convertTfjsGraph(graph, { model: 'Test', outputs: ['out'], input: nchwInput })).toThrow(
      'Test: MaxPool out reads a reshaped tensor',
    );
  });
});
