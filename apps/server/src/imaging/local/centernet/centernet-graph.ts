import type { OnnxAttribute, OnnxGraph, OnnxInitializer, OnnxNode } from '../onnx/onnx-model.ts';
import {
  attrBool,
  attrInts,
  attrString,
  attrStrings,
  readTfjsGraph,
  type TfjsNode,
  tfKernelToOihw,
} from '../onnx/tfjs-model.ts';

/** The graph's input: [1, h, w, 3] float RGB in 0..255 (NHWC, as Human feeds the TF.js model). */
export const CENTERNET_INPUT = 'image';
/** Class heatmap kept only at its 3×3 peaks (0 elsewhere), [1, 80, 128, 128]. */
export const CENTERNET_PEAKS = 'peaks';
/** Box extents left, top, right, bottom from each heatmap cell, in 512² input pixels, [1, 4, 128, 128]. */
export const CENTERNET_WH = 'wh';
/** The network's square input side; every image is stretched to it, as Human does. */
export const CENTERNET_SIZE = 512;

const TF_INPUT = 'tower_0/images';
const TF_HEATMAP = 'tower_0/keypoints';
const TF_WH = 'tower_0/wh';

/** NHWC axis → NCHW axis. */
const NCHW_AXIS = [0, 2, 3, 1];
const ONNX_FLOAT = 1;

/** Every node the named outputs depend on, in the file's order (tfjs-converter writes it sorted). */
function needed(nodes: readonly TfjsNode[], outputs: readonly string[]): TfjsNode[] {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const keep = new Set<string>();
  const stack = [...outputs];
  while (stack.length > 0) {
    const name = stack.pop()!.split(':')[0]!;
    if (keep.has(name)) continue;
    const node = byName.get(name);
    if (!node) throw new Error(`CenterNet: node ${name} is missing`);
    keep.add(name);
    stack.push(...node.input);
  }
  return nodes.filter((n) => keep.has(n.name));
}

/**
 * Rebuilds Human's CenterNet (MobileNetV3 + CenterNet head, a TF.js graph model) as an NCHW ONNX
 * graph from the same weights, read at load time: the input is transposed once and stretched to
 * 512² as Human's `resizeBilinear` does, every kernel is transposed here, and the post-processing
 * tail (top-K, gather, box arithmetic) ends at the 3×3 peak mask the TF graph builds first, so
 * `decode.ts` reads the peaks and boxes.
 */
export function buildCenternetGraph(dir: string, file: string): OnnxGraph {
  const { nodes: all, weights } = readTfjsGraph(dir, file);
  const nodes: OnnxNode[] = [];
  const initializers: OnnxInitializer[] = [];
  const alias = new Map<string, string>();
  const made = new Set<string>();
  const name = (input: string): string => alias.get(input) ?? input;

  const tensor = (input: string) => {
    const w = weights.get(input);
    if (!w) throw new Error(`CenterNet: ${input} is not a constant`);
    return w;
  };
  const initializer = (id: string, dims: number[], data: Float32Array): string => {
    if (!made.has(id)) {
      initializers.push({ name: id, dims, data });
      made.add(id);
    }
    return id;
  };
  const floatConst = (input: string): string => {
    const w = tensor(input);
    if (w.shape.length > 0) throw new Error(`CenterNet: constant ${input} is not a scalar`);
    return initializer(input, [], Float32Array.from(w.data));
  };
  const scalar = (value: number): string => initializer(`scalar/${value}`, [], Float32Array.of(value));
  const int64s = (id: string, values: number[]): string => {
    nodes.push({ op: 'Constant', inputs: [], output: id, attributes: { value_ints: values } });
    return id;
  };
  const push = (op: string, inputs: string[], output: string, attributes?: Record<string, OnnxAttribute>) =>
    nodes.push({ op, inputs, output, ...(attributes ? { attributes } : {}) });

  /** Conv, depthwise conv (group = input channels) and their fused bias and activation. */
  const conv = (n: TfjsNode, depthwise: boolean, fused: string[]) => {
    if ((attrString(n, 'data_format') ?? 'NHWC') !== 'NHWC')
      throw new Error(`CenterNet: ${n.name} is not NHWC`);
    const padding = attrString(n, 'padding');
    if (padding !== 'SAME' && padding !== 'VALID') throw new Error(`CenterNet: ${n.name} pads ${padding}`);
    const [x, kernelName, biasName] = n.input;
    const k = tensor(kernelName!);
    // [kh, kw, in, out] for a convolution, [kh, kw, in, multiplier] for a depthwise one.
    const [kh, kw, cin, last] = k.shape;
    const strides = attrInts(n, 'strides');
    const dilations = attrInts(n, 'dilations');
    const attributes: Record<string, OnnxAttribute> = {
      kernel_shape: [kh!, kw!],
      strides: [strides[1] ?? 1, strides[2] ?? 1],
      dilations: [dilations[1] ?? 1, dilations[2] ?? 1],
      auto_pad: padding === 'SAME' ? 'SAME_UPPER' : 'VALID',
    };
    if (depthwise) attributes.group = cin!;
    const w = depthwise
      ? // A depthwise kernel [kh, kw, in, multiplier] is a convolution's with one input per group.
        initializer(
          kernelName!,
          [cin! * last!, 1, kh!, kw!],
          tfKernelToOihw(k.data, [kh!, kw!, 1, cin! * last!]),
        )
      : initializer(kernelName!, [last!, cin!, kh!, kw!], tfKernelToOihw(k.data, k.shape));
    const inputs = [name(x!), w];
    const ops = [...fused];
    if (ops[0] === 'BiasAdd') {
      const b = tensor(biasName!);
      inputs.push(initializer(biasName!, [b.data.length], Float32Array.from(b.data)));
      ops.shift();
    }
    if (ops.length > 1) throw new Error(`CenterNet: ${n.name} fuses ${fused.join('+')}`);
    const activation = ops[0];
    const convOut = activation ? `${n.name}/conv` : n.name;
    push('Conv', inputs, convOut, attributes);
    if (activation === 'Relu') push('Relu', [convOut], n.name);
    else if (activation === 'Relu6') push('Clip', [convOut, scalar(0), scalar(6)], n.name);
    else if (activation) throw new Error(`CenterNet: ${n.name} fuses ${activation}`);
  };

  const binary = (n: TfjsNode, op: string) => {
    const inputs = n.input.map((i) => (weights.has(i) ? floatConst(i) : name(i)));
    push(op, inputs, n.name);
  };

  for (const n of needed(all, [TF_HEATMAP, TF_WH])) {
    switch (n.op) {
      case 'Const':
        break;
      case 'Placeholder':
        if (n.name !== TF_INPUT) throw new Error(`CenterNet: unexpected input ${n.name}`);
        push('Transpose', [CENTERNET_INPUT], 'input/nchw', { perm: [0, 3, 1, 2] });
        push(
          'Resize',
          ['input/nchw', '', '', int64s('input/size', [1, 3, CENTERNET_SIZE, CENTERNET_SIZE])],
          n.name,
          {
            mode: 'linear',
            coordinate_transformation_mode: 'asymmetric',
          },
        );
        break;
      case 'Identity':
        alias.set(n.name, name(n.input[0]!));
        break;
      case '_FusedConv2D':
        conv(n, false, attrStrings(n, 'fused_ops'));
        break;
      case 'Conv2D':
        conv(n, false, []);
        break;
      case 'FusedDepthwiseConv2dNative':
        conv(n, true, attrStrings(n, 'fused_ops'));
        break;
      case 'DepthwiseConv2dNative':
        conv(n, true, []);
        break;
      case 'Add':
        binary(n, 'Add');
        break;
      case 'Mul':
        binary(n, 'Mul');
        break;
      case 'Relu':
        push('Relu', [name(n.input[0]!)], n.name);
        break;
      case 'Relu6':
        push('Clip', [name(n.input[0]!), scalar(0), scalar(6)], n.name);
        break;
      case 'Sigmoid':
        push('Sigmoid', [name(n.input[0]!)], n.name);
        break;
      case 'Mean': {
        const axes = [...tensor(n.input[1]!).data].map((a) => NCHW_AXIS[a]!);
        push('ReduceMean', [name(n.input[0]!)], n.name, { axes, keepdims: attrBool(n, 'keep_dims') ? 1 : 0 });
        break;
      }
      case 'ConcatV2': {
        const axis = tensor(n.input[n.input.length - 1]!).data[0]!;
        const parts = n.input.slice(0, -1).map(name);
        push('Concat', parts, n.name, { axis: NCHW_AXIS[axis < 0 ? axis + 4 : axis]! });
        break;
      }
      case 'ResizeBilinear': {
        const [h, w] = tensor(n.input[1]!).data;
        const mode = attrBool(n, 'align_corners')
          ? 'align_corners'
          : attrBool(n, 'half_pixel_centers')
            ? 'half_pixel'
            : 'asymmetric';
        // Batch and channels from the input's own shape, the spatial size from the TF constant.
        const x = name(n.input[0]!);
        push('Shape', [x], `${n.name}/shape`);
        push(
          'Slice',
          [`${n.name}/shape`, int64s(`${n.name}/zero`, [0]), int64s(`${n.name}/two`, [2])],
          `${n.name}/nc`,
        );
        push('Concat', [`${n.name}/nc`, int64s(`${n.name}/hw`, [h!, w!])], `${n.name}/sizes`, { axis: 0 });
        push('Resize', [x, '', '', `${n.name}/sizes`], n.name, {
          mode: 'linear',
          coordinate_transformation_mode: mode,
        });
        break;
      }
      default:
        throw new Error(`CenterNet: unsupported op ${n.op} (${n.name})`);
    }
  }

  // The TF graph's peak mask: a class score survives only where it is its 3×3 neighbourhood's maximum.
  const heatmap = name(TF_HEATMAP);
  push('MaxPool', [heatmap], 'peaks/max', { kernel_shape: [3, 3], strides: [1, 1], auto_pad: 'SAME_UPPER' });
  push('Equal', [heatmap, 'peaks/max'], 'peaks/is-max');
  push('Cast', ['peaks/is-max'], 'peaks/mask', { to: ONNX_FLOAT });
  push('Mul', [heatmap, 'peaks/mask'], CENTERNET_PEAKS);
  push('Identity', [name(TF_WH)], CENTERNET_WH);

  return {
    name: 'centernet',
    nodes,
    initializers,
    inputs: [{ name: CENTERNET_INPUT, shape: [1, 'h', 'w', 3] }],
    outputs: [
      { name: CENTERNET_PEAKS, shape: [1, 80, 128, 128] },
      { name: CENTERNET_WH, shape: [1, 4, 128, 128] },
    ],
  };
}
