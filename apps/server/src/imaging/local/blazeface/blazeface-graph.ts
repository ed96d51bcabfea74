import type { OnnxGraph } from '../onnx/onnx-model.ts';
import { convertTfjsGraph } from '../onnx/tfjs-graph.ts';
import { readTfjsGraph } from '../onnx/tfjs-model.ts';

/** The graph's input: [1, h, w, 3] float RGB in 0..255 (NHWC, as Human feeds the TF.js model). */
export const BLAZEFACE_INPUT = 'image';
/** Face logits, one per anchor: the 16×16 grid's 512 anchors, then the 8×8 grid's 384, [1, 896, 1]. */
export const BLAZEFACE_LOGITS = 'logits';
/** Per anchor: box centre offset x, y, size w, h, then 6 landmarks' x, y, in 256² input pixels, [1, 896, 16]. */
export const BLAZEFACE_REGRESSORS = 'regressors';
/** The network's square input side; every image is stretched to it, as Human does. */
export const BLAZEFACE_SIZE = 256;
/** Anchors over both grids. */
export const BLAZEFACE_ANCHORS = 896;

const TF_INPUT = 'input';
// The 16×16 grid's heads (2 anchors a cell) and the 8×8 grid's (6 a cell), reshaped per anchor.
const TF_LOGITS_16 = 'Identity';
const TF_LOGITS_8 = 'Identity_1';
const TF_REGRESSORS_16 = 'Identity_2';
const TF_REGRESSORS_8 = 'Identity_3';

/**
 * Rebuilds Human's blazeface (a TF.js graph model) as an NCHW ONNX graph from the same weights,
 * read at load time: the input is transposed once, stretched to 256² as Human's `resizeBilinear`
 * does and scaled to -1..1 as Human does (÷127.5, −1); the two grids' heads are joined in the
 * order Human joins them (512 anchors of the 16×16 grid first), so `decode.ts` reads one list.
 */
export function buildBlazefaceGraph(dir: string, file: string): OnnxGraph {
  const b = convertTfjsGraph(readTfjsGraph(dir, file), {
    model: 'Blazeface',
    outputs: [TF_LOGITS_16, TF_LOGITS_8, TF_REGRESSORS_16, TF_REGRESSORS_8],
    input: (n, g) => {
      if (n.name !== TF_INPUT) throw g.error(`unexpected input ${n.name}`);
      g.push('Transpose', [BLAZEFACE_INPUT], 'input/nchw', { perm: [0, 3, 1, 2] });
      g.push(
        'Resize',
        ['input/nchw', '', '', g.int64s('input/size', [1, 3, BLAZEFACE_SIZE, BLAZEFACE_SIZE])],
        'input/resized',
        { mode: 'linear', coordinate_transformation_mode: 'asymmetric' },
      );
      g.push('Div', ['input/resized', g.scalar(127.5)], 'input/scaled');
      g.push('Sub', ['input/scaled', g.scalar(1)], n.name);
    },
  });
  b.push('Concat', [b.name(TF_LOGITS_16), b.name(TF_LOGITS_8)], BLAZEFACE_LOGITS, { axis: 1 });
  b.push('Concat', [b.name(TF_REGRESSORS_16), b.name(TF_REGRESSORS_8)], BLAZEFACE_REGRESSORS, { axis: 1 });

  return {
    name: 'blazeface',
    nodes: b.nodes,
    initializers: b.initializers,
    inputs: [{ name: BLAZEFACE_INPUT, shape: [1, 'h', 'w', 3] }],
    outputs: [
      { name: BLAZEFACE_LOGITS, shape: [1, BLAZEFACE_ANCHORS, 1] },
      { name: BLAZEFACE_REGRESSORS, shape: [1, BLAZEFACE_ANCHORS, 16] },
    ],
  };
}
