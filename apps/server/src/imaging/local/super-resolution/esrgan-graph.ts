import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OnnxGraph, OnnxInitializer, OnnxNode } from '../onnx/onnx-model.ts';
import { readTfjsWeights, tfKernelToOihw } from '../onnx/tfjs-model.ts';

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

interface TfjsModelJson {
  modelTopology: {
    model_config: {
      config: { layers: KerasLayer[]; output_layers: [string, number, number][] };
    };
  };
  weightsManifest: unknown;
}

export const ESRGAN_INPUT = 'LR_input';

/** The model's float32 weights by name, with their TF.js shapes. */
function readWeights(dir: string, json: TfjsModelJson): Map<string, { shape: number[]; data: Float32Array }> {
  const out = new Map<string, { shape: number[]; data: Float32Array }>();
  for (const [name, { shape, data }] of readTfjsWeights(dir, json.weightsManifest)) {
    if (!(data instanceof Float32Array)) throw new Error(`Unsupported weight dtype for ${name}`);
    out.set(name, { shape, data });
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
        const { data: kernel, shape } = weights.get(`${layer.name}/kernel`) ?? {};
        const [kh, kw] = c.kernel_size ?? [3, 3];
        if (!kernel || !shape || c.padding !== 'same' || kh % 2 === 0 || kw % 2 === 0) {
          throw new Error(`Unsupported Conv2D layer ${layer.name}`);
        }
        const cout = shape[3]!;
        initializers.push({
          name: `${layer.name}/W`,
          dims: [cout, shape[2]!, kh, kw],
          data: tfKernelToOihw(kernel, shape),
        });
        const convInputs = [inputs[0]!, `${layer.name}/W`];
        if (c.use_bias !== false) {
          initializers.push({
            name: `${layer.name}/B`,
            dims: [cout],
            data: weights.get(`${layer.name}/bias`)!.data,
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
