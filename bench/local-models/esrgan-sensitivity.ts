import { esrganModelDir } from '../../apps/server/src/imaging/local/model-files.ts';
import { ESRGAN_FLOAT_CONVS } from '../../apps/server/src/imaging/local/super-resolution/esrgan-float-convs.ts';
import { buildEsrganGraph } from '../../apps/server/src/imaging/local/super-resolution/esrgan-graph.ts';
import { esrganCalibration } from '../../apps/server/src/imaging/local/super-resolution/esrgan-session.ts';
import { quantizeConvs } from '../../apps/server/src/imaging/local/super-resolution/quantize.ts';
import { cropLabel, dbRow, ESRGAN_CROPS, gainsOverLanczos } from './esrgan-eval.ts';

/**
 * How ESRGAN_FLOAT_CONVS was chosen: the gain over lanczos3 on real photo crops (esrgan-eval.ts)
 * with one group of convs kept float32 at a time, alone and on top of the tail, beside the float
 * graph, every conv int8 ("none") and the product's choice, with each
 * group's share of the multiply-adds (its cost if kept float). Takes a few minutes:
 * node --import tsx bench/local-models/esrgan-sensitivity.ts
 */
const graph = buildEsrganGraph(esrganModelDir());
const weights = new Map(graph.initializers.map((t) => [t.name, t.dims]));
const convs = graph.nodes.filter((n) => n.op === 'Conv');
const macs = new Map(convs.map((n) => [n.output, weights.get(n.inputs[1]!)!.reduce((a, b) => a * b, 1)]));
const totalMacs = [...macs.values()].reduce((a, b) => a + b, 0);
const names = convs.map((n) => n.output);
const block = (i: number) => names.filter((c) => new RegExp(`^(F|LFF)_${i}_`).test(c));
const head = ['Pre_blocks_conv'];
const tail = ['post_blocks_conv', 'PreShuffle', 'SR'];
const groups: [string, string[]][] = [
  ['head', head],
  ['tail', tail],
  ['post_blocks_conv', ['post_blocks_conv']],
  ['PreShuffle', ['PreShuffle']],
  ['SR', ['SR']],
  ...Array.from({ length: 10 }, (_, i): [string, string[]] => [`RRDB ${i + 1}`, block(i + 1)]),
  ['every LFF', names.filter((c) => c.startsWith('LFF'))],
];

const row = async (label: string, gains: Promise<number[]>, floats: readonly string[]) => {
  const share = floats.reduce((a, c) => a + macs.get(c)!, 0) / totalMacs;
  process.stdout.write(
    `${label.padEnd(30)} ${(100 * share).toFixed(1).padStart(5)}%  ${dbRow(await gains)}\n`,
  );
};
process.stdout.write(`${'float convs'.padEnd(30)} MACs%   ${ESRGAN_CROPS.map(cropLabel).join(' ')}\n`);
await row('all float32', gainsOverLanczos(graph), names);
const mixed = (floats: readonly string[]) =>
  gainsOverLanczos(quantizeConvs(graph, esrganCalibration, { floatConvs: new Set(floats) }));
await row('none (this quantiser)', mixed([]), []);
for (const [label, floats] of groups) await row(label, mixed(floats), floats);
for (const [label, floats] of groups.filter(([l]) => l !== 'tail' && !tail.includes(l)))
  await row(`tail + ${label}`, mixed([...tail, ...floats]), [...tail, ...floats]);
await row('product (ESRGAN_FLOAT_CONVS)', mixed([...ESRGAN_FLOAT_CONVS]), [...ESRGAN_FLOAT_CONVS]);
process.exit(0);
