import type { OnnxGraph } from '../onnx/onnx-model.ts';
import { convertTfjsGraph, type TfjsConverter } from '../onnx/tfjs-graph.ts';
import { attrInts, readTfjsGraph, type TfjsNode } from '../onnx/tfjs-model.ts';
import { MOVENET_GRID, MOVENET_SIZE, type MovenetHeadConstants } from './decode.ts';

/** The graph's input: [1, 192, 192, 3] float RGB holding the integers Human feeds the TF.js model. */
export const MOVENET_INPUT = 'image';
/** Keypoint heatmaps after their sigmoid, [1, 17, 48, 48]. */
export const MOVENET_HEATMAP = 'heatmap';
/** Person centres after their sigmoid, weighted toward the image centre, [1, 1, 48, 48]. */
export const MOVENET_CENTERS = 'centers';
/** Keypoint (dy, dx) from each centre cell, [1, 34, 48, 48]. */
export const MOVENET_REGRESS = 'regress';
/** Keypoint (dy, dx) within each heatmap cell, [1, 34, 48, 48]. */
export const MOVENET_OFFSETS = 'offsets';

const TF = 'StatefulPartitionedCall';
const TF_INPUT = 'input';
const TF_HEATMAP = `${TF}/Sigmoid`;
const TF_CENTERS = `${TF}/truediv_2`;
const TF_REGRESS = `${TF}/kpt_regress_0/conv2d_6/BiasAdd`;
const TF_OFFSETS = `${TF}/kpt_offset_0/conv2d_7/BiasAdd`;
const TF_DISTANCE_BIAS = `${TF}/add_5/y`;
const TF_GRID_SCALE = `${TF}/Reshape_13`;

/**
 * The pre-processing's batch shuffles (unstack, expand, squeeze, expand again, all on axis 0 of a
 * batch of one) change no value; the ONNX graph keeps the 4-D NCHW tensor throughout. Anything
 * else on another axis is not this model and is refused.
 */
const batchAxisOnly =
  (axes: (n: TfjsNode, constant: (name: string) => number) => number[]): TfjsConverter =>
  (n, b) => {
    const constant = (name: string) => b.tensor(name).data[0]!;
    if (axes(n, constant).some((a) => a !== 0)) throw b.error(`${n.op} ${n.name} is not on the batch axis`);
    b.alias(n.name, n.input[0]!);
  };

const MOVENET_CONVERTERS: Readonly<Record<string, TfjsConverter>> = {
  // int32 → float: the ONNX input is float already, holding the same integers.
  Cast: (n, b) => b.alias(n.name, n.input[0]!),
  Unpack: batchAxisOnly((n) => [n.attr.axis?.i ?? 0, (n.attr.num?.i ?? 1) - 1]),
  Squeeze: batchAxisOnly((n) => attrInts(n, 'squeeze_dims')),
  ExpandDims: batchAxisOnly((n, constant) => [constant(n.input[1]!)]),
};

/**
 * Rebuilds Human's MoveNet lightning (a TF.js graph model) as an NCHW ONNX graph from the same
 * weights, read at load time: the input is transposed once, the backbone, FPN and the four heads
 * are converted by `tfjs-graph.ts`, and the graph stops where the TF head starts picking peaks
 * (ArgMax, GatherNd…), which `decode.ts` does in float32 as the TF graph does. Also answers the
 * head's two float constants, read from the same files.
 */
export function buildMovenetGraph(
  dir: string,
  file: string,
): { graph: OnnxGraph; head: MovenetHeadConstants } {
  const tf = readTfjsGraph(dir, file);
  const outputs = [TF_HEATMAP, TF_CENTERS, TF_REGRESS, TF_OFFSETS];
  const b = convertTfjsGraph(tf, {
    model: 'MoveNet',
    outputs,
    input: (n, g) => {
      if (n.name !== TF_INPUT) throw g.error(`unexpected input ${n.name}`);
      g.push('Transpose', [MOVENET_INPUT], n.name, { perm: [0, 3, 1, 2] });
    },
    converters: MOVENET_CONVERTERS,
  });
  const names = [MOVENET_HEATMAP, MOVENET_CENTERS, MOVENET_REGRESS, MOVENET_OFFSETS];
  outputs.forEach((tfName, i) => {
    if (b.inTfLayout(tfName)) throw b.error(`${tfName} left the NCHW layout`);
    b.push('Identity', [b.name(tfName)], names[i]!);
  });

  const scalarOf = (name: string) => {
    const values = b.tensor(name).data;
    if (values.length < 1 || values.some((v) => v !== values[0])) throw b.error(`${name} is not one value`);
    return values[0]!;
  };
  const cells = MOVENET_GRID;
  return {
    graph: {
      name: 'movenet-lightning',
      nodes: b.nodes,
      initializers: b.initializers,
      inputs: [{ name: MOVENET_INPUT, shape: [1, MOVENET_SIZE, MOVENET_SIZE, 3] }],
      outputs: [
        { name: MOVENET_HEATMAP, shape: [1, 17, cells, cells] },
        { name: MOVENET_CENTERS, shape: [1, 1, cells, cells] },
        { name: MOVENET_REGRESS, shape: [1, 34, cells, cells] },
        { name: MOVENET_OFFSETS, shape: [1, 34, cells, cells] },
      ],
    },
    head: { distanceBias: scalarOf(TF_DISTANCE_BIAS), gridScale: scalarOf(TF_GRID_SCALE) },
  };
}
