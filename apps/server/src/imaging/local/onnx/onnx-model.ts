import { MessageWriter } from './proto-writer.ts';

/** Integer, integer-list or string attributes: all that the graphs built here need. */
export type OnnxAttribute = number | readonly number[] | string;

export interface OnnxNode {
  op: string;
  inputs: readonly string[];
  output: string;
  attributes?: Record<string, OnnxAttribute>;
}

export interface OnnxInitializer {
  name: string;
  dims: readonly number[];
  /** float32, or the integer types of quantised weights, scales' zero points and biases. */
  data: Float32Array | Int8Array | Uint8Array | Int32Array;
}

/** A float32 graph input or output; string dims are symbolic (dynamic). */
export interface OnnxValue {
  name: string;
  shape: readonly (number | string)[];
}

export interface OnnxGraph {
  name: string;
  nodes: readonly OnnxNode[];
  initializers: readonly OnnxInitializer[];
  inputs: readonly OnnxValue[];
  outputs: readonly OnnxValue[];
}

// Field numbers and enum values from onnx/onnx.proto (IR version 8).
const IR_VERSION = 8;
const OPSET = 17;
const FLOAT = 1;
const UINT8 = 2;
const INT8 = 3;
const INT32 = 6;
const ATTR_INT = 2;
const ATTR_STRING = 3;
const ATTR_INTS = 7;

function attribute(name: string, value: OnnxAttribute): MessageWriter {
  const w = new MessageWriter().string(1, name);
  if (typeof value === 'string') return w.bytes(4, new TextEncoder().encode(value)).int(20, ATTR_STRING);
  if (typeof value === 'number') return w.int(3, value).int(20, ATTR_INT);
  return w.packedInts(8, value).int(20, ATTR_INTS);
}

function node(n: OnnxNode, index: number): MessageWriter {
  const w = new MessageWriter();
  for (const input of n.inputs) w.string(1, input);
  w.string(2, n.output).string(3, `${n.op}_${index}`).string(4, n.op);
  for (const [name, value] of Object.entries(n.attributes ?? {})) w.message(5, attribute(name, value));
  return w;
}

function tensor(t: OnnxInitializer): MessageWriter {
  const raw = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
  const type =
    t.data instanceof Float32Array
      ? FLOAT
      : t.data instanceof Int8Array
        ? INT8
        : t.data instanceof Uint8Array
          ? UINT8
          : INT32;
  return new MessageWriter().packedInts(1, t.dims).int(2, type).string(8, t.name).bytes(9, raw);
}

function valueInfo(v: OnnxValue): MessageWriter {
  const shape = new MessageWriter();
  for (const d of v.shape) {
    shape.message(
      1,
      typeof d === 'number' ? new MessageWriter().int(1, d) : new MessageWriter().string(2, d),
    );
  }
  const tensorType = new MessageWriter().int(1, FLOAT).message(2, shape);
  return new MessageWriter().string(1, v.name).message(2, new MessageWriter().message(1, tensorType));
}

/** Serialises a graph into ONNX ModelProto bytes that onnxruntime can load directly. */
export function encodeOnnxModel(graph: OnnxGraph): Uint8Array {
  const g = new MessageWriter();
  graph.nodes.forEach((n, i) => {
    g.message(1, node(n, i));
  });
  g.string(2, graph.name);
  for (const t of graph.initializers) g.message(5, tensor(t));
  for (const v of graph.inputs) g.message(11, valueInfo(v));
  for (const v of graph.outputs) g.message(12, valueInfo(v));
  return new MessageWriter()
    .int(1, IR_VERSION)
    .string(2, 'image-studio')
    .message(7, g)
    .message(8, new MessageWriter().string(1, '').int(2, OPSET))
    .finish();
}
