import type {
  OnnxGraph,
  OnnxInitializer,
  OnnxNode,
} from '../../apps/server/src/imaging/local/onnx/onnx-model.ts';
import type { Range } from '../../apps/server/src/imaging/local/super-resolution/quantize.ts';

/**
 * The baseline of the esrgan cases: the all-int8 graph the product ran before its head and tail
 * convs went back to float (apps/server/src/imaging/local/super-resolution/quantize.ts at commit
 * 18bd0c8): every Conv int8, each Conv output and each concat rounded on its own scale.
 */

/** uint8 asymmetric parameters covering `r` (and 0, so zero padding stays exact). */
function activationParams({ min, max }: Range): { scale: number; zeroPoint: number } {
  const lo = Math.min(0, min);
  const hi = Math.max(0, max, lo + 1e-6);
  const scale = (hi - lo) / 255;
  return { scale, zeroPoint: Math.min(255, Math.max(0, Math.round(-lo / scale))) };
}

/**
 * QDQ form of `graph`: each Conv's input and output pass through QuantizeLinear/DequantizeLinear
 * (uint8, per-tensor, from `ranges`), its weights are int8 per output channel and its bias int32,
 * which onnxruntime fuses into QLinearConv (int8 GEMM, VNNI where the CPU has it).
 */
export function quantizeAllConvs(graph: OnnxGraph, ranges: ReadonlyMap<string, Range>): OnnxGraph {
  const weights = new Map(graph.initializers.map((t) => [t.name, t]));
  const initializers: OnnxInitializer[] = [];
  const used = new Set<string>();
  const nodes: OnnxNode[] = [];
  const qdq = new Map<string, string>();
  const params = (tensor: string): [string, string] => {
    const range = ranges.get(tensor);
    if (!range) throw new Error(`no calibration range for ${tensor}`);
    const { scale, zeroPoint } = activationParams(range);
    const s = `${tensor}/q_scale`;
    const z = `${tensor}/q_zero`;
    if (!used.has(s)) {
      used.add(s);
      initializers.push({ name: s, dims: [], data: Float32Array.of(scale) });
      initializers.push({ name: z, dims: [], data: Uint8Array.of(zeroPoint) });
    }
    return [s, z];
  };
  /** The dequantised copy of `tensor` (one Q/DQ pair per tensor, shared by all its readers). */
  const roundTrip = (tensor: string, produced: string): string => {
    const existing = qdq.get(tensor);
    if (existing) return existing;
    const [s, z] = params(tensor);
    nodes.push({ op: 'QuantizeLinear', inputs: [produced, s, z], output: `${tensor}/q` });
    nodes.push({ op: 'DequantizeLinear', inputs: [`${tensor}/q`, s, z], output: `${tensor}/dq` });
    qdq.set(tensor, `${tensor}/dq`);
    return `${tensor}/dq`;
  };
  const rename = new Map<string, string>();
  const read = (name: string) => rename.get(name) ?? name;
  for (const n of graph.nodes) {
    if (n.op !== 'Conv') {
      nodes.push({ ...n, inputs: n.inputs.map(read) });
      continue;
    }
    const [x, wName, bName] = n.inputs;
    const w = weights.get(wName!);
    if (!w || !(w.data instanceof Float32Array)) throw new Error(`Conv ${n.output} has no float weights`);
    const xd = roundTrip(x!, read(x!));
    const cout = w.dims[0]!;
    const per = w.data.length / cout;
    const wq = new Int8Array(w.data.length);
    const ws = new Float32Array(cout);
    for (let o = 0; o < cout; o++) {
      let m = 0;
      for (let k = 0; k < per; k++) m = Math.max(m, Math.abs(w.data[o * per + k]!));
      ws[o] = m / 127 || 1;
      for (let k = 0; k < per; k++) wq[o * per + k] = Math.round(w.data[o * per + k]! / ws[o]!);
    }
    initializers.push({ name: `${wName}/q`, dims: w.dims, data: wq });
    initializers.push({ name: `${wName}/q_scale`, dims: [cout], data: ws });
    initializers.push({ name: `${wName}/q_zero`, dims: [cout], data: new Int8Array(cout) });
    nodes.push({
      op: 'DequantizeLinear',
      inputs: [`${wName}/q`, `${wName}/q_scale`, `${wName}/q_zero`],
      output: `${wName}/dq`,
      attributes: { axis: 0 },
    });
    const convInputs = [xd, `${wName}/dq`];
    const b = bName ? weights.get(bName) : undefined;
    if (b && b.data instanceof Float32Array) {
      const sx = activationParams(ranges.get(x!)!).scale;
      const bs = ws.map((s) => s * sx);
      const bq = new Int32Array(cout);
      for (let o = 0; o < cout; o++) bq[o] = Math.round(b.data[o]! / bs[o]!);
      initializers.push({ name: `${bName}/q`, dims: [cout], data: bq });
      initializers.push({ name: `${bName}/q_scale`, dims: [cout], data: bs });
      initializers.push({ name: `${bName}/q_zero`, dims: [cout], data: new Int32Array(cout) });
      nodes.push({
        op: 'DequantizeLinear',
        inputs: [`${bName}/q`, `${bName}/q_scale`, `${bName}/q_zero`],
        output: `${bName}/dq`,
        attributes: { axis: 0 },
      });
      convInputs.push(`${bName}/dq`);
    }
    const raw = `${n.output}/float`;
    nodes.push({ ...n, inputs: convInputs, output: raw });
    rename.set(n.output, roundTrip(n.output, raw));
  }
  const keep = graph.initializers.filter(
    (t) => !graph.nodes.some((n) => n.op === 'Conv' && n.inputs.slice(1).includes(t.name)),
  );
  return {
    ...graph,
    nodes,
    initializers: [...keep, ...initializers],
    outputs: graph.outputs.map((o) => ({ ...o, name: read(o.name) })),
  };
}
