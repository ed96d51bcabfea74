import type { OnnxGraph } from '../onnx/onnx-model.ts';
import { convertTfjsGraph } from '../onnx/tfjs-graph.ts';
import { readTfjsGraph } from '../onnx/tfjs-model.ts';

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

const ONNX_FLOAT = 1;

/**
 * Rebuilds Human's CenterNet (MobileNetV3 + CenterNet head, a TF.js graph model) as an NCHW ONNX
 * graph from the same weights, read at load time: the input is transposed once and stretched to
 * 512² as Human's `resizeBilinear` does, every kernel is transposed by the generic converter, and
 * the post-processing tail (top-K, gather, box arithmetic) ends at the 3×3 peak mask the TF graph
 * builds first, so `decode.ts` reads the peaks and boxes.
 */
export function buildCenternetGraph(dir: string, file: string): OnnxGraph {
  const b = convertTfjsGraph(readTfjsGraph(dir, file), {
    model: 'CenterNet',
    outputs: [TF_HEATMAP, TF_WH],
    input: (n, g) => {
      if (n.name !== TF_INPUT) throw g.error(`unexpected input ${n.name}`);
      g.push('Transpose', [CENTERNET_INPUT], 'input/nchw', { perm: [0, 3, 1, 2] });
      g.push(
        'Resize',
        ['input/nchw', '', '', g.int64s('input/size', [1, 3, CENTERNET_SIZE, CENTERNET_SIZE])],
        n.name,
        { mode: 'linear', coordinate_transformation_mode: 'asymmetric' },
      );
    },
  });

  // The TF graph's peak mask: a class score survives only where it is its 3×3 neighbourhood's maximum.
  const heatmap = b.name(TF_HEATMAP);
  b.push('MaxPool', [heatmap], 'peaks/max', {
    kernel_shape: [3, 3],
    strides: [1, 1],
    auto_pad: 'SAME_UPPER',
  });
  b.push('Equal', [heatmap, 'peaks/max'], 'peaks/is-max');
  b.push('Cast', ['peaks/is-max'], 'peaks/mask', { to: ONNX_FLOAT });
  b.push('Mul', [heatmap, 'peaks/mask'], CENTERNET_PEAKS);
  b.push('Identity', [b.name(TF_WH)], CENTERNET_WH);

  return {
    name: 'centernet',
    nodes: b.nodes,
    initializers: b.initializers,
    inputs: [{ name: CENTERNET_INPUT, shape: [1, 'h', 'w', 3] }],
    outputs: [
      { name: CENTERNET_PEAKS, shape: [1, 80, 128, 128] },
      { name: CENTERNET_WH, shape: [1, 4, 128, 128] },
    ],
  };
}
