import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OnnxGraph, OnnxInitializer, OnnxNode } from '../onnx/onnx-model.ts';

/** The parts of a TF.js layers-model `model.json` that the ESRGAN/RRDN generators use. */
interface KerasLayer {
  class_name: string;
  name: string;
  config: {
    filters?: number;
    kernel_size?: [number, number];
    padding?: string;
    activation?: string;
    axis?: number;
    beta?: number;
    scale?: number;
    use_bias?: boolean;
  };
  inbound_nodes: [string, number, number, unknown][][];
}

interface WeightSpec {
  name: string;
  shape: number[];
  dtype: string;
}

interface TfjsModelJson {
  modelTopology: {
    model_config: {
      config: { layers: KerasLayer[]; output_layers: [string, number, number][] };
    };
  };
  weightsManifest: { paths: string[]; weights: WeightSpec[] }[];
}

export const ESRGAN_INPUT = 'LR_input';

function readWeights(dir: string, json: TfjsModelJson): Map<string, Float32Array> {
  const out = new Map<string, Float32Array>();
  for (const group of json.weightsManifest) {
    const bytes = Buffer.concat(group.paths.map((p) => readFileSync(join(dir, p))));
    let offset = 0;
    for (const w of group.weights) {
      if (w.dtype !== 'float32') throw new Error(`Unsupported weight dtype ${w.dtype} for ${w.name}`);
      const count = w.shape.reduce((a, b) => a * b, 1);
      // Copy so each tensor is 4-byte aligned regardless of where it sits in the shard.
      out.set(
        w.name,
        new Float32Array(
          bytes.buffer.slice(bytes.byteOffset + offset, bytes.byteOffset + offset + count * 4),
        ),
      );
      offset += count * 4;
    }
  }
  return out;
}

/** Keras kernels are [kh, kw, in, out]; ONNX Conv wants [out, in, kh, kw]. */
function toOihw(kernel: Float32Array, [kh, kw, cin, cout]: number[]): Float32Array {
  const out = new Float32Array(kernel.length);
  for (let y = 0; y < kh!; y++)
    for (let x = 0; x < kw!; x++)
      for (let i = 0; i < cin!; i++)
        for (let o = 0; o < cout!; o++) {
          out[((o * cin! + i) * kh! + y) * kw! + x] = kernel[((y * kw! + x) * cin! + i) * cout! + o]!;
        }
  return out;
}

/**
 * Translates an UpscalerJS ESRGAN (RRDN) layers model into an NCHW ONNX graph with the same
 * weights: Conv2D → Conv, relu → Relu, Concatenate → Concat, MultiplyBeta → Mul, Add → Add,
 * PixelShuffle → DepthToSpace (DCR ordering, which is what tf.depthToSpace uses).
 * Input `LR_input` [1,3,h,w] in 0..1, output [1,3,h·s,w·s] in 0..1.
 */
export function buildEsrganGraph(modelDir: string): OnnxGraph {
  const json = JSON.parse(readFileSync(join(modelDir, 'model.json'), 'utf8')) as TfjsModelJson;
  const weights = readWeights(modelDir, json);
  const specs = new Map(json.weightsManifest.flatMap((g) => g.weights).map((w) => [w.name, w]));
  const { layers, output_layers } = json.modelTopology.model_config.config;
  const nodes: OnnxNode[] = [];
  const initializers: OnnxInitializer[] = [];
  const scalars = new Map<number, string>();
  const scalar = (value: number): string => {
    const existing = scalars.get(value);
    if (existing) return existing;
    const name = `const_${scalars.size}`;
    initializers.push({ name, dims: [], data: Float32Array.of(value) });
    scalars.set(value, name);
    return name;
  };

  for (const layer of layers) {
    const inputs = (layer.inbound_nodes[0] ?? []).map((n) => n[0]);
    const c = layer.config;
    switch (layer.class_name) {
      case 'InputLayer':
        break;
      case 'Conv2D': {
        const kernel = weights.get(`${layer.name}/kernel`);
        const shape = specs.get(`${layer.name}/kernel`)?.shape;
        const [kh, kw] = c.kernel_size ?? [3, 3];
        if (!kernel || !shape || c.padding !== 'same' || kh % 2 === 0 || kw % 2 === 0) {
          throw new Error(`Unsupported Conv2D layer ${layer.name}`);
        }
        const cout = shape[3]!;
        initializers.push({
          name: `${layer.name}/W`,
          dims: [cout, shape[2]!, kh, kw],
          data: toOihw(kernel, shape),
        });
        const convInputs = [inputs[0]!, `${layer.name}/W`];
        if (c.use_bias !== false) {
          initializers.push({
            name: `${layer.name}/B`,
            dims: [cout],
            data: weights.get(`${layer.name}/bias`)!,
          });
          convInputs.push(`${layer.name}/B`);
        }
        const ph = (kh - 1) / 2;
        const pw = (kw - 1) / 2;
        const attributes = { kernel_shape: [kh, kw], pads: [ph, pw, ph, pw] };
        if (c.activation === 'relu') {
          nodes.push({ op: 'Conv', inputs: convInputs, output: `${layer.name}/linear`, attributes });
          nodes.push({ op: 'Relu', inputs: [`${layer.name}/linear`], output: layer.name });
        } else if (c.activation === 'linear' || c.activation === undefined) {
          nodes.push({ op: 'Conv', inputs: convInputs, output: layer.name, attributes });
        } else {
          throw new Error(`Unsupported activation ${c.activation} in ${layer.name}`);
        }
        break;
      }
      case 'Activation':
        if (c.activation !== 'relu') throw new Error(`Unsupported activation ${c.activation}`);
        nodes.push({ op: 'Relu', inputs, output: layer.name });
        break;
      case 'Concatenate':
        if (c.axis !== 3 && c.axis !== -1) throw new Error(`Unsupported concat axis in ${layer.name}`);
        nodes.push({ op: 'Concat', inputs, output: layer.name, attributes: { axis: 1 } });
        break;
      case 'MultiplyBeta':
        nodes.push({ op: 'Mul', inputs: [inputs[0]!, scalar(c.beta ?? 0.2)], output: layer.name });
        break;
      case 'Add':
        nodes.push({ op: 'Add', inputs, output: layer.name });
        break;
      default:
        if (layer.class_name.startsWith('PixelShuffle') && c.scale) {
          nodes.push({
            op: 'DepthToSpace',
            inputs,
            output: layer.name,
            attributes: { blocksize: c.scale, mode: 'DCR' },
          });
          break;
        }
        throw new Error(`Unsupported layer ${layer.class_name} (${layer.name})`);
    }
  }
  const outputName = output_layers[0]![0];
  return {
    name: 'esrgan',
    nodes,
    initializers,
    inputs: [{ name: ESRGAN_INPUT, shape: [1, 3, 'h', 'w'] }],
    outputs: [{ name: outputName, shape: [1, 3, 'H', 'W'] }],
  };
}
