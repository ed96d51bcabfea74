import type { OnnxGraph, OnnxInitializer, OnnxNode } from '../onnx/onnx-model.ts';

/** Observed value range of an activation tensor, from a calibration run of the float graph. */
export interface Range {
  min: number;
  max: number;
}

interface QParams {
  scale: number;
  zeroPoint: number;
}

/** uint8 asymmetric parameters covering `r` (and 0, so zero padding stays exact). */
function activationParams({ min, max }: Range): QParams {
  const lo = Math.min(0, min);
  const hi = Math.max(0, max, lo + 1e-6);
  const scale = (hi - lo) / 255;
  return { scale, zeroPoint: Math.min(255, Math.max(0, Math.round(-lo / scale))) };
}

/** Names of every Conv's input and output activations: what calibration must observe. */
export function convActivations(graph: OnnxGraph): string[] {
  const out = new Set<string>();
  for (const n of graph.nodes) {
    if (n.op !== 'Conv') continue;
    out.add(n.inputs[0]!);
    out.add(n.output);
  }
  return [...out];
}

export interface QuantizeOptions {
  /** Convs (by output name) left in float32: the few whose rounding costs the most quality. */
  floatConvs?: ReadonlySet<string>;
}

/**
 * Quantisation parameters of every tensor that is rounded to uint8. Tensors joined by a Concat
 * share one scale (the union of their ranges), so each value of a dense block's growing concat is
 * rounded once, where it is produced, and never again when the block concatenates it further on.
 * A Conv whose only reader is a Relu is rounded after the Relu with zero point 0: the negative half
 * the Relu drops gets no levels, and onnxruntime folds the Relu into the quantised Conv.
 */
function planParams(
  graph: OnnxGraph,
  ranges: ReadonlyMap<string, Range>,
  floatConvs: ReadonlySet<string>,
): { params: Map<string, QParams>; reluOf: Map<string, string> } {
  const convs = graph.nodes.filter((n) => n.op === 'Conv');
  const quantized = convs.filter((n) => !floatConvs.has(n.output));
  const readers = new Map<string, OnnxNode[]>();
  for (const n of graph.nodes) for (const i of n.inputs) readers.set(i, [...(readers.get(i) ?? []), n]);
  const reluOf = new Map<string, string>();
  const wanted = new Map<string, Range>();
  const range = (tensor: string): Range => {
    const r = ranges.get(tensor);
    if (!r) throw new Error(`no calibration range for ${tensor}`);
    return r;
  };
  for (const n of quantized) {
    wanted.set(n.inputs[0]!, range(n.inputs[0]!));
    const only = readers.get(n.output);
    if (only?.length === 1 && only[0]!.op === 'Relu') {
      reluOf.set(n.output, only[0]!.output);
      wanted.set(only[0]!.output, { min: 0, max: range(n.output).max });
    } else {
      wanted.set(n.output, range(n.output));
    }
  }
  // A Conv's output joining a concat keeps its own scale: its rounding also enters the float
  // residual trunk, where each of the ten blocks scales it by 1.2 (×6 by the end).
  const convOutputs = new Set(convs.map((n) => n.output));
  const parent = new Map<string, string>();
  const root = (t: string): string => {
    const p = parent.get(t);
    if (!p || p === t) return t;
    const r = root(p);
    parent.set(t, r);
    return r;
  };
  for (const n of graph.nodes) {
    if (n.op !== 'Concat' || !wanted.has(n.output)) continue;
    for (const i of n.inputs) if (wanted.has(i) && !convOutputs.has(i)) parent.set(root(i), root(n.output));
  }
  const union = new Map<string, Range>();
  for (const [t, r] of wanted) {
    const u = union.get(root(t));
    union.set(root(t), u ? { min: Math.min(u.min, r.min), max: Math.max(u.max, r.max) } : r);
  }
  const params = new Map<string, QParams>();
  const relus = new Set(reluOf.values());
  for (const t of wanted.keys()) {
    const p = activationParams(union.get(root(t))!);
    // A Relu's output never goes below 0: zero point 0 on the shared scale loses nothing.
    params.set(t, relus.has(t) ? { scale: p.scale, zeroPoint: 0 } : p);
  }
  return { params, reluOf };
}

/** int8 per-output-channel symmetric weights. */
function quantizeWeights(w: OnnxInitializer & { data: Float32Array }): {
  q: Int8Array;
  scales: Float32Array;
} {
  const cout = w.dims[0]!;
  const per = w.data.length / cout;
  const q = new Int8Array(w.data.length);
  const scales = new Float32Array(cout);
  for (let o = 0; o < cout; o++) {
    let m = 0;
    for (let k = 0; k < per; k++) m = Math.max(m, Math.abs(w.data[o * per + k]!));
    scales[o] = m / 127 || 1;
    for (let k = 0; k < per; k++) q[o * per + k] = Math.round(w.data[o * per + k]! / scales[o]!);
  }
  return { q, scales };
}

/**
 * QDQ form of `graph`: each Conv's input and output pass through QuantizeLinear/DequantizeLinear
 * (uint8, per-tensor, from `ranges`), its weights are int8 per output channel and its bias int32,
 * which onnxruntime fuses into QLinearConv (int8 GEMM, VNNI where the CPU has it).
 * Convs in `options.floatConvs` stay float32 (int8 convs reading one get its rounded copy).
 */
export function quantizeConvs(
  graph: OnnxGraph,
  ranges: ReadonlyMap<string, Range>,
  options: QuantizeOptions = {},
): OnnxGraph {
  const weights = new Map(graph.initializers.map((t) => [t.name, t]));
  const floatConvs = options.floatConvs ?? new Set<string>();
  const { params, reluOf } = planParams(graph, ranges, floatConvs);
  const initializers: OnnxInitializer[] = [];
  const nodes: OnnxNode[] = [];
  const dq = new Map<string, string>();
  /** The dequantised copy of `tensor` (one Q/DQ pair per tensor, shared by all its readers). */
  const roundTrip = (tensor: string, produced: string): string => {
    const existing = dq.get(tensor);
    if (existing) return existing;
    const p = params.get(tensor)!;
    const s = `${tensor}/q_scale`;
    const z = `${tensor}/q_zero`;
    initializers.push({ name: s, dims: [], data: Float32Array.of(p.scale) });
    initializers.push({ name: z, dims: [], data: Uint8Array.of(p.zeroPoint) });
    nodes.push({ op: 'QuantizeLinear', inputs: [produced, s, z], output: `${tensor}/q` });
    nodes.push({ op: 'DequantizeLinear', inputs: [`${tensor}/q`, s, z], output: `${tensor}/dq` });
    dq.set(tensor, `${tensor}/dq`);
    return `${tensor}/dq`;
  };
  const dequantized = (name: string, data: Int8Array | Int32Array, scales: Float32Array): string => {
    const zero = data instanceof Int8Array ? new Int8Array(scales.length) : new Int32Array(scales.length);
    const dims = data instanceof Int8Array ? weights.get(name)!.dims : [scales.length];
    initializers.push({ name: `${name}/q`, dims, data });
    initializers.push({ name: `${name}/q_scale`, dims: [scales.length], data: scales });
    initializers.push({ name: `${name}/q_zero`, dims: [scales.length], data: zero });
    nodes.push({
      op: 'DequantizeLinear',
      inputs: [`${name}/q`, `${name}/q_scale`, `${name}/q_zero`],
      output: `${name}/dq`,
      attributes: { axis: 0 },
    });
    return `${name}/dq`;
  };
  /** Emits the int8 form of Conv `n` writing `output`. */
  const int8Conv = (n: OnnxNode, output: string, x: string): void => {
    const [, wName, bName] = n.inputs;
    const w = weights.get(wName!);
    const b = bName ? weights.get(bName) : undefined;
    if (!w || !(w.data instanceof Float32Array)) throw new Error(`Conv ${n.output} has no float weights`);
    const { q, scales } = quantizeWeights({ ...w, data: w.data });
    const inputs = [roundTrip(x, read(x)), dequantized(wName!, q, scales)];
    if (bName && b?.data instanceof Float32Array) {
      // int32 bias on the accumulator's scale (input scale × weight scale), as QLinearConv wants.
      const bs = scales.map((s) => s * params.get(x)!.scale);
      inputs.push(
        dequantized(
          bName,
          Int32Array.from(b.data, (v, o) => Math.round(v / bs[o]!)),
          bs,
        ),
      );
    }
    nodes.push({ ...n, inputs, output });
  };
  const rename = new Map<string, string>();
  const read = (name: string) => rename.get(name) ?? name;
  for (const n of graph.nodes) {
    if (n.op === 'Conv' && !floatConvs.has(n.output)) {
      if (reluOf.has(n.output)) {
        int8Conv(n, n.output, n.inputs[0]!);
      } else {
        int8Conv(n, `${n.output}/float`, n.inputs[0]!);
        rename.set(n.output, roundTrip(n.output, `${n.output}/float`));
      }
      continue;
    }
    // Concats read the rounded copies so that onnxruntime sees DQ → Concat → Q (QLinearConcat).
    nodes.push({ ...n, inputs: n.inputs.map((i) => (n.op === 'Concat' ? (dq.get(i) ?? read(i)) : read(i))) });
    if (n.op === 'Relu' && reluOf.get(n.inputs[0]!) === n.output) {
      rename.set(n.output, roundTrip(n.output, n.output));
    }
  }
  const int8Only = new Set(
    graph.nodes.filter((n) => n.op === 'Conv' && !floatConvs.has(n.output)).flatMap((n) => n.inputs.slice(1)),
  );
  return {
    ...graph,
    nodes,
    initializers: [...graph.initializers.filter((t) => !int8Only.has(t.name)), ...initializers],
    outputs: graph.outputs.map((o) => ({ ...o, name: read(o.name) })),
  };
}
