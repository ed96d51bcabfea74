import type { OnnxAttribute, OnnxInitializer, OnnxNode } from './onnx-model.ts';
import {
  attrBool,
  attrInts,
  attrString,
  attrStrings,
  type TfjsGraph,
  type TfjsNode,
  type TfjsTensor,
  tfKernelToOihw,
} from './tfjs-model.ts';

/** NHWC axis → NCHW axis. */
const NCHW_AXIS = [0, 2, 3, 1];
/** NCHW axis → the NHWC axis it came from. */
const NHWC_AXIS = [0, 3, 1, 2];

/**
 * The ONNX nodes and initializers of a TF.js graph being rebuilt, with the bookkeeping the
 * converters share: TF names aliased through Identity, initializers made once, and which tensors
 * left the NCHW layout (a Reshape's output keeps TF's own axis order).
 */
export class OnnxGraphBuilder {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: OnnxInitializer[] = [];
  private readonly aliases = new Map<string, string>();
  private readonly made = new Set<string>();
  private readonly tfLayout = new Set<string>();

  constructor(
    /** The model's name, the prefix of every conversion error. */
    readonly model: string,
    readonly weights: ReadonlyMap<string, TfjsTensor>,
  ) {}

  error(message: string): Error {
    return new Error(`${this.model}: ${message}`);
  }

  /** The ONNX tensor a TF input name stands for. */
  name(input: string): string {
    return this.aliases.get(input) ?? input;
  }

  alias(tfName: string, input: string): void {
    this.aliases.set(tfName, this.name(input));
  }

  /** True when the tensor is in TF's axis order rather than NCHW (after a Reshape). */
  inTfLayout(input: string): boolean {
    return this.tfLayout.has(this.name(input));
  }

  markTfLayout(output: string): void {
    this.tfLayout.add(output);
  }

  tensor(input: string): TfjsTensor {
    const w = this.weights.get(input);
    if (!w) throw this.error(`${input} is not a constant`);
    return w;
  }

  isConstant(input: string): boolean {
    return this.weights.has(input);
  }

  initializer(id: string, dims: number[], data: Float32Array): string {
    if (!this.made.has(id)) {
      this.initializers.push({ name: id, dims, data });
      this.made.add(id);
    }
    return id;
  }

  /** A TF scalar constant as a float initializer. */
  floatConst(input: string): string {
    const w = this.tensor(input);
    if (w.shape.length > 0) throw this.error(`constant ${input} is not a scalar`);
    return this.initializer(input, [], Float32Array.from(w.data));
  }

  scalar(value: number): string {
    return this.initializer(`scalar/${value}`, [], Float32Array.of(value));
  }

  /** An int64 list (shapes, sizes, pads) as a Constant node. */
  int64s(id: string, values: number[]): string {
    this.nodes.push({ op: 'Constant', inputs: [], output: id, attributes: { value_ints: values } });
    return id;
  }

  push(op: string, inputs: string[], output: string, attributes?: Record<string, OnnxAttribute>): void {
    this.nodes.push({ op, inputs, output, ...(attributes ? { attributes } : {}) });
  }

  /** The NCHW input of a layout-sensitive op; a tensor in TF's layout there is a conversion bug. */
  spatial(n: TfjsNode, input: string): string {
    if (this.inTfLayout(input)) throw this.error(`${n.op} ${n.name} reads a reshaped tensor`);
    return this.name(input);
  }
}

/** Writes the ONNX nodes for one TF node. */
export type TfjsConverter = (n: TfjsNode, b: OnnxGraphBuilder) => void;

/** ONNX pads [top, left, bottom, right] from a TF node's `padding` (SAME/VALID) or explicit pads. */
function windowPadding(n: TfjsNode, b: OnnxGraphBuilder): Record<string, OnnxAttribute> {
  const padding = attrString(n, 'padding');
  if (padding === 'SAME') return { auto_pad: 'SAME_UPPER' };
  if (padding === 'VALID') return { auto_pad: 'VALID' };
  if (padding === 'EXPLICIT') {
    // NHWC pairs [[0, 0], [top, bottom], [left, right], [0, 0]].
    const [, , top = 0, bottom = 0, left = 0, right = 0] = attrInts(n, 'explicit_paddings');
    return { pads: [top, left, bottom, right] };
  }
  throw b.error(`${n.name} pads ${padding}`);
}

function checkNhwc(n: TfjsNode, b: OnnxGraphBuilder): void {
  if ((attrString(n, 'data_format') ?? 'NHWC') !== 'NHWC') throw b.error(`${n.name} is not NHWC`);
}

/** Conv, depthwise conv (group = input channels) and their fused bias and activation. */
function conv(n: TfjsNode, b: OnnxGraphBuilder, depthwise: boolean, fused: string[]): void {
  checkNhwc(n, b);
  const [x, kernelName, biasName] = n.input;
  const k = b.tensor(kernelName!);
  // [kh, kw, in, out] for a convolution, [kh, kw, in, multiplier] for a depthwise one.
  const [kh, kw, cin, last] = k.shape;
  const strides = attrInts(n, 'strides');
  const dilations = attrInts(n, 'dilations');
  const attributes: Record<string, OnnxAttribute> = {
    kernel_shape: [kh!, kw!],
    strides: [strides[1] ?? 1, strides[2] ?? 1],
    dilations: [dilations[1] ?? 1, dilations[2] ?? 1],
    ...windowPadding(n, b),
  };
  if (depthwise) attributes.group = cin!;
  const w = depthwise
    ? // A depthwise kernel [kh, kw, in, multiplier] is a convolution's with one input per group.
      b.initializer(
        kernelName!,
        [cin! * last!, 1, kh!, kw!],
        tfKernelToOihw(k.data, [kh!, kw!, 1, cin! * last!]),
      )
    : b.initializer(kernelName!, [last!, cin!, kh!, kw!], tfKernelToOihw(k.data, k.shape));
  const inputs = [b.spatial(n, x!), w];
  const ops = [...fused];
  if (ops[0] === 'BiasAdd') {
    const bias = b.tensor(biasName!);
    inputs.push(b.initializer(biasName!, [bias.data.length], Float32Array.from(bias.data)));
    ops.shift();
  }
  if (ops.length > 1) throw b.error(`${n.name} fuses ${fused.join('+')}`);
  const activation = ops[0];
  const convOut = activation ? `${n.name}/conv` : n.name;
  b.push('Conv', inputs, convOut, attributes);
  if (activation === 'Relu') b.push('Relu', [convOut], n.name);
  else if (activation === 'Relu6') b.push('Clip', [convOut, b.scalar(0), b.scalar(6)], n.name);
  else if (activation) throw b.error(`${n.name} fuses ${activation}`);
}

/**
 * A constant operand of an element-wise op: a scalar as it is; a tensor (TF broadcasts it from the
 * right over NHWC, e.g. a per-channel [1, 1, 1, 3] or a [48, 48, 1] map) transposed to NCHW, unless
 * the op works on reshaped tensors in TF's own layout.
 */
function elementwiseConst(n: TfjsNode, b: OnnxGraphBuilder, input: string): string {
  const w = b.tensor(input);
  if (w.shape.length === 0) return b.floatConst(input);
  if (n.input.some((i) => !b.isConstant(i) && b.inTfLayout(i)))
    return b.initializer(input, w.shape, Float32Array.from(w.data));
  if (w.shape.length > 4) throw b.error(`${n.name} broadcasts a ${w.shape.length}-D constant`);
  const [batch, h, wd, c] = [...new Array<number>(4 - w.shape.length).fill(1), ...w.shape] as number[];
  const nchw = new Float32Array(w.data.length);
  for (let i = 0; i < batch!; i++)
    for (let y = 0; y < h!; y++)
      for (let x = 0; x < wd!; x++)
        for (let ch = 0; ch < c!; ch++)
          nchw[((i * c! + ch) * h! + y) * wd! + x] = w.data[((i * h! + y) * wd! + x) * c! + ch]!;
  return b.initializer(input, [batch!, c!, h!, wd!], nchw);
}

/** Element-wise ops: constants become initializers, the layout follows the inputs. */
const binary =
  (op: string): TfjsConverter =>
  (n, b) => {
    const inputs = n.input.map((i) => (b.isConstant(i) ? elementwiseConst(n, b, i) : b.name(i)));
    b.push(op, inputs, n.name);
    if (n.input.some((i) => b.inTfLayout(i))) b.markTfLayout(n.name);
  };

const unary =
  (op: string): TfjsConverter =>
  (n, b) => {
    b.push(op, [b.name(n.input[0]!)], n.name);
    if (b.inTfLayout(n.input[0]!)) b.markTfLayout(n.name);
  };

/** The converters for the TF ops Human's detector models use, by TF op name. */
export const TFJS_CONVERTERS: Readonly<Record<string, TfjsConverter>> = {
  Const: () => undefined,
  Identity: (n, b) => b.alias(n.name, n.input[0]!),
  _FusedConv2D: (n, b) => conv(n, b, false, attrStrings(n, 'fused_ops')),
  Conv2D: (n, b) => conv(n, b, false, []),
  FusedDepthwiseConv2dNative: (n, b) => conv(n, b, true, attrStrings(n, 'fused_ops')),
  DepthwiseConv2dNative: (n, b) => conv(n, b, true, []),
  Add: binary('Add'),
  AddV2: binary('Add'),
  Mul: binary('Mul'),
  Sub: binary('Sub'),
  Relu: unary('Relu'),
  Relu6: (n, b) => {
    b.push('Clip', [b.name(n.input[0]!), b.scalar(0), b.scalar(6)], n.name);
    if (b.inTfLayout(n.input[0]!)) b.markTfLayout(n.name);
  },
  Sigmoid: unary('Sigmoid'),
  Mean: (n, b) => {
    const axes = [...b.tensor(n.input[1]!).data].map((a) => NCHW_AXIS[a]!);
    b.push('ReduceMean', [b.spatial(n, n.input[0]!)], n.name, {
      axes,
      keepdims: attrBool(n, 'keep_dims') ? 1 : 0,
    });
  },
  ConcatV2: (n, b) => {
    const axis = b.tensor(n.input[n.input.length - 1]!).data[0]!;
    const parts = n.input.slice(0, -1);
    if (parts.every((p) => b.inTfLayout(p))) {
      b.push(
        'Concat',
        parts.map((p) => b.name(p)),
        n.name,
        { axis },
      );
      b.markTfLayout(n.name);
      return;
    }
    const inputs = parts.map((p) => b.spatial(n, p));
    b.push('Concat', inputs, n.name, { axis: NCHW_AXIS[axis < 0 ? axis + 4 : axis]! });
  },
  ResizeBilinear: (n, b) => {
    const [h, w] = b.tensor(n.input[1]!).data;
    const mode = attrBool(n, 'align_corners')
      ? 'align_corners'
      : attrBool(n, 'half_pixel_centers')
        ? 'half_pixel'
        : 'asymmetric';
    // Batch and channels from the input's own shape, the spatial size from the TF constant.
    const x = b.spatial(n, n.input[0]!);
    b.push('Shape', [x], `${n.name}/shape`);
    b.push(
      'Slice',
      [`${n.name}/shape`, b.int64s(`${n.name}/zero`, [0]), b.int64s(`${n.name}/two`, [2])],
      `${n.name}/nc`,
    );
    b.push('Concat', [`${n.name}/nc`, b.int64s(`${n.name}/hw`, [h!, w!])], `${n.name}/sizes`, { axis: 0 });
    b.push('Resize', [x, '', '', `${n.name}/sizes`], n.name, {
      mode: 'linear',
      coordinate_transformation_mode: mode,
    });
  },
  MaxPool: (n, b) => {
    checkNhwc(n, b);
    const ksize = attrInts(n, 'ksize');
    const strides = attrInts(n, 'strides');
    b.push('MaxPool', [b.spatial(n, n.input[0]!)], n.name, {
      kernel_shape: [ksize[1] ?? 1, ksize[2] ?? 1],
      strides: [strides[1] ?? 1, strides[2] ?? 1],
      ...windowPadding(n, b),
    });
  },
  Pad: (n, b) => {
    // TF pads are [[before, after]] per NHWC axis; ONNX wants every NCHW axis' begin, then every end.
    const pairs = b.tensor(n.input[1]!).data;
    const begins = NHWC_AXIS.map((a) => pairs[2 * a]!);
    const ends = NHWC_AXIS.map((a) => pairs[2 * a + 1]!);
    b.push('Pad', [b.spatial(n, n.input[0]!), b.int64s(`${n.name}/pads`, [...begins, ...ends])], n.name, {
      mode: 'constant',
    });
  },
  Reshape: (n, b) => {
    // TF reshapes in NHWC order: back to it first, and the result stays in TF's layout.
    const x = n.input[0]!;
    let source = b.name(x);
    if (!b.inTfLayout(x)) {
      source = `${n.name}/nhwc`;
      b.push('Transpose', [b.name(x)], source, { perm: NCHW_AXIS });
    }
    const shape = [...b.tensor(n.input[1]!).data];
    b.push('Reshape', [source, b.int64s(`${n.name}/shape`, shape)], n.name);
    b.markTfLayout(n.name);
  },
};

/** Every node the named outputs depend on, in the file's order (tfjs-converter writes it sorted). */
export function neededNodes(
  model: string,
  nodes: readonly TfjsNode[],
  outputs: readonly string[],
): TfjsNode[] {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const keep = new Set<string>();
  const stack = [...outputs];
  while (stack.length > 0) {
    const name = stack.pop()!.split(':')[0]!;
    if (keep.has(name)) continue;
    const node = byName.get(name);
    if (!node) throw new Error(`${model}: node ${name} is missing`);
    keep.add(name);
    // `^name` is a control dependency (run after), not a value the outputs need.
    stack.push(...node.input.filter((i) => !i.startsWith('^')));
  }
  return nodes.filter((n) => keep.has(n.name));
}

export interface TfjsConversion {
  /** The model's name in errors. */
  model: string;
  /** The TF nodes whose values the ONNX graph must compute. */
  outputs: readonly string[];
  /** Writes what the model's TF placeholder stands for: the graph input, its layout and pre-processing. */
  input: TfjsConverter;
  /** Model-specific converters, taking precedence over TFJS_CONVERTERS. */
  converters?: Readonly<Record<string, TfjsConverter>>;
}

/**
 * Rebuilds the part of a TF.js graph that `outputs` depend on as NCHW ONNX nodes (every kernel
 * transposed here, 4-D activations kept NCHW). The caller adds its own tail with `push` and reads
 * the TF outputs' ONNX names through `name`.
 */
export function convertTfjsGraph(graph: TfjsGraph, conversion: TfjsConversion): OnnxGraphBuilder {
  const b = new OnnxGraphBuilder(conversion.model, graph.weights);
  for (const n of neededNodes(conversion.model, graph.nodes, conversion.outputs)) {
    const own = conversion.converters ?? {};
    const convert =
      n.op === 'Placeholder'
        ? conversion.input
        : Object.hasOwn(own, n.op)
          ? own[n.op]
          : Object.hasOwn(TFJS_CONVERTERS, n.op)
            ? TFJS_CONVERTERS[n.op]
            : undefined;
    if (!convert) throw b.error(`unsupported op ${n.op} (${n.name})`);
    convert(n, b);
  }
  return b;
}
