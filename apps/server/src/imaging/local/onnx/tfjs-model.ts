import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

const Int = z.union([z.string(), z.number()]).transform(Number);

const AttrValue = z.object({
  s: z.string().optional(),
  i: Int.optional(),
  b: z.boolean().optional(),
  list: z.object({ i: z.array(Int).optional(), s: z.array(z.string()).optional() }).optional(),
});

const GraphNode = z.object({
  name: z.string(),
  op: z.string(),
  input: z.array(z.string()).default([]),
  attr: z.record(z.string(), AttrValue).default({}),
});
export type TfjsNode = z.infer<typeof GraphNode>;

const WeightEntry = z.object({
  name: z.string(),
  shape: z.array(z.number()),
  dtype: z.enum(['float32', 'int32']),
  quantization: z
    .object({
      dtype: z.enum(['float16', 'uint8', 'uint16']),
      scale: z.number().optional(),
      min: z.number().optional(),
    })
    .optional(),
});
type WeightEntry = z.infer<typeof WeightEntry>;

const WeightsManifest = z.array(z.object({ paths: z.array(z.string()), weights: z.array(WeightEntry) }));

const GraphModelJson = z.object({
  modelTopology: z.object({ node: z.array(GraphNode) }),
  weightsManifest: z.unknown(),
});

export interface TfjsTensor {
  shape: number[];
  data: Float32Array | Int32Array;
}

/** A TF.js graph model as stored: its nodes in file order and every constant by name. */
export interface TfjsGraph {
  nodes: TfjsNode[];
  weights: Map<string, TfjsTensor>;
}

/** IEEE 754 half precision to a JS number (Node 20 has no Float16Array). */
function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const mantissa = h & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

/** One weight's values from its bytes, undoing the converter's float16 or affine quantisation. */
function decodeWeight(w: WeightEntry, bytes: Buffer, offset: number, count: number): TfjsTensor['data'] {
  const q = w.quantization;
  if (!q) {
    const copy = bytes.buffer.slice(bytes.byteOffset + offset, bytes.byteOffset + offset + count * 4);
    return w.dtype === 'int32' ? new Int32Array(copy) : new Float32Array(copy);
  }
  const out = w.dtype === 'int32' ? new Int32Array(count) : new Float32Array(count);
  if (q.dtype === 'float16') {
    for (let i = 0; i < count; i++) out[i] = halfToFloat(bytes.readUInt16LE(offset + 2 * i));
    return out;
  }
  const scale = q.scale ?? 1;
  const min = q.min ?? 0;
  for (let i = 0; i < count; i++) {
    const v = q.dtype === 'uint8' ? bytes[offset + i]! : bytes.readUInt16LE(offset + 2 * i);
    out[i] = v * scale + min;
  }
  return out;
}

const storedBytes = (w: WeightEntry): number =>
  !w.quantization ? 4 : w.quantization.dtype === 'uint8' ? 1 : 2;

/**
 * Every weight a TF.js model (layers or graph) stores, by name: the shards of each manifest group
 * (`weightsManifest` of its `model.json`) read in manifest order, dequantised to float32 or int32.
 */
export function readTfjsWeights(dir: string, manifest: unknown): Map<string, TfjsTensor> {
  const weights = new Map<string, TfjsTensor>();
  for (const group of WeightsManifest.parse(manifest)) {
    const bytes = Buffer.concat(group.paths.map((p) => readFileSync(join(dir, p))));
    let offset = 0;
    for (const w of group.weights) {
      const count = w.shape.reduce((a, b) => a * b, 1);
      const size = count * storedBytes(w);
      if (offset + size > bytes.length) throw new Error(`${dir}: weight ${w.name} runs past its shards`);
      weights.set(w.name, { shape: w.shape, data: decodeWeight(w, bytes, offset, count) });
      offset += size;
    }
  }
  return weights;
}

/**
 * Reads a TF.js graph model (`model.json` + weight shards, as tensorflowjs_converter writes them):
 * the topology's nodes and every weight by name.
 */
export function readTfjsGraph(dir: string, file: string): TfjsGraph {
  const json = GraphModelJson.parse(JSON.parse(readFileSync(join(dir, file), 'utf8')));
  return { nodes: json.modelTopology.node, weights: readTfjsWeights(dir, json.weightsManifest) };
}

/** TF conv kernels are [kh, kw, in, out]; ONNX Conv wants [out, in, kh, kw]. */
export function tfKernelToOihw(data: Float32Array | Int32Array, [kh, kw, cin, cout]: number[]): Float32Array {
  const out = new Float32Array(data.length);
  for (let y = 0; y < kh!; y++)
    for (let x = 0; x < kw!; x++)
      for (let i = 0; i < cin!; i++)
        for (let o = 0; o < cout!; o++) {
          out[((o * cin! + i) * kh! + y) * kw! + x] = data[((y * kw! + x) * cin! + i) * cout! + o]!;
        }
  return out;
}

/** A string attribute (stored base64), e.g. `padding` or `data_format`. */
export const attrString = (node: TfjsNode, key: string): string | undefined => {
  const s = node.attr[key]?.s;
  return s === undefined ? undefined : Buffer.from(s, 'base64').toString('utf8');
};

/** A list-of-strings attribute, e.g. `fused_ops`. */
export const attrStrings = (node: TfjsNode, key: string): string[] =>
  (node.attr[key]?.list?.s ?? []).map((s) => Buffer.from(s, 'base64').toString('utf8'));

/** A list-of-ints attribute, e.g. `strides` or `dilations`. */
export const attrInts = (node: TfjsNode, key: string): number[] => node.attr[key]?.list?.i ?? [];

export const attrBool = (node: TfjsNode, key: string): boolean => node.attr[key]?.b === true;
