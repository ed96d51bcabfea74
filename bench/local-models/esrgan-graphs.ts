import ort from 'onnxruntime-node';
import sharp from 'sharp';
import { esrganModelDir } from '../../apps/server/src/imaging/local/model-files.ts';
import { encodeOnnxModel, type OnnxGraph } from '../../apps/server/src/imaging/local/onnx/onnx-model.ts';
import {
  buildEsrganGraph,
  ESRGAN_INPUT,
} from '../../apps/server/src/imaging/local/super-resolution/esrgan-graph.ts';
import {
  esrganCalibration,
  esrganMixedGraph,
} from '../../apps/server/src/imaging/local/super-resolution/esrgan-session.ts';
import { quantizeConvs } from '../../apps/server/src/imaging/local/super-resolution/quantize.ts';
import { realPhoto } from '../../test/support/real-photos.ts';
import { dbRow, gainsOverLanczos, SESSION_OPTIONS } from './esrgan-eval.ts';
import { load, median, type Timing, timed } from './measure.ts';
import type { OnnxCaseResult } from './onnx.ts';

/** The product's tiling: 256² tiles with 8 px of context (super-resolution.ts). */
const TILE = 256;
const OVERLAP = 8;

async function tileInputs(size: number): Promise<ort.Tensor[]> {
  const rgb = await sharp(realPhoto('garden'))
    .resize(size, size, { fit: 'cover' })
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer();
  const out: ort.Tensor[] = [];
  for (let y0 = 0; y0 < size; y0 += TILE)
    for (let x0 = 0; x0 < size; x0 += TILE) {
      const [cx0, cy0] = [Math.max(0, x0 - OVERLAP), Math.max(0, y0 - OVERLAP)];
      const [cx1, cy1] = [Math.min(size, x0 + TILE + OVERLAP), Math.min(size, y0 + TILE + OVERLAP)];
      const [w, h] = [cx1 - cx0, cy1 - cy0];
      const data = new Float32Array(3 * w * h);
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++)
          for (let c = 0; c < 3; c++)
            data[c * w * h + y * w + x] = rgb[((cy0 + y) * size + cx0 + x) * 3 + c]! / 255;
      out.push(new ort.Tensor('float32', data, [1, 3, h, w]));
    }
  return out;
}

async function timeTiles(session: ort.InferenceSession, tiles: ort.Tensor[]): Promise<Timing> {
  const [, t] = await timed(async () => {
    for (const tile of tiles) await session.run({ [ESRGAN_INPUT]: tile });
  });
  return t;
}

/**
 * sr-graphs-<size>: the product's graph (int8, head and tail convs float32) against the same
 * quantiser with every conv int8 (what the float ends cost), in this process with the product's session options and tiling, alternating
 * `rounds` times (median reported), and both graphs' gain over lanczos3 on real photo crops.
 */
export async function esrganGraphsCase(size: number, rounds = 2): Promise<OnnxCaseResult> {
  const float = buildEsrganGraph(esrganModelDir());
  const graphs: [string, OnnxGraph][] = [
    ['all-int8', quantizeConvs(float, esrganCalibration)],
    ['int8 + float head/tail (product)', esrganMixedGraph()],
  ];
  const notes = [
    `gain over lanczos3 on esrgan-eval.ts's crops (test's portrait first): float32 ${dbRow(await gainsOverLanczos(float))}`,
  ];
  for (const [label, g] of graphs) notes.push(`${label}: ${dbRow(await gainsOverLanczos(g))}`);
  const sessions = await Promise.all(
    graphs.map(([, g]) => ort.InferenceSession.create(encodeOnnxModel(g), SESSION_OPTIONS)),
  );
  const tiles = await tileInputs(size);
  const before = load();
  const times: Timing[][] = graphs.map(() => []);
  for (let r = 0; r < rounds; r++)
    for (const [i, s] of sessions.entries()) times[i]!.push(await timeTiles(s, tiles));
  const [base, now] = times.map((ts) => ({
    wallMs: median(ts.map((t) => t.wallMs)),
    cpuMs: median(ts.map((t) => t.cpuMs)),
  })) as [Timing, Timing];
  notes.push(
    `per round, wall/cpu s: ${times
      .map(
        (ts, i) =>
          `${graphs[i]![0]} ${ts.map((t) => `${(t.wallMs / 1000).toFixed(1)}/${(t.cpuMs / 1000).toFixed(1)}`).join(', ')}`,
      )
      .join('; ')}`,
    `product/all-int8: cpu ${(now.cpuMs / base.cpuMs).toFixed(3)}×, wall ${(now.wallMs / base.wallMs).toFixed(3)}×; ` +
      `${tiles.length} tiles, load average before ${before}, after ${load()} (2 cores)`,
  );
  return {
    name: `esrgan graphs, 4× of ${size}² (real photo) in ${TILE}² tiles + ${OVERLAP} px, in process, median of ${rounds} alternating`,
    subjectLabel: graphs[1]![0],
    subject: now,
    baselineLabel: graphs[0]![0],
    baseline: base,
    notes,
  };
}
