import { spawnSync } from 'node:child_process';
import { blazefaceCase } from './local-models/blazeface.ts';
import { centernetCase } from './local-models/centernet.ts';
import { cropSubjectsCase } from './local-models/crop.ts';
import { esrganGraphsCase } from './local-models/esrgan-graphs.ts';
import { erase2048Case, fill64Case, fillPhotosCase } from './local-models/fill.ts';
import { movenetCase } from './local-models/movenet.ts';
import {
  removeBackgroundCase,
  removeBackgroundEdgesCase,
  superResolutionCancelCase,
  superResolutionCase,
} from './local-models/onnx.ts';

/**
 * `npm run bench:local-models`: the offline image models, each case in its own child process so
 * its peak RSS is its own, each beside a baseline run in the same process:
 * - remove-background on a 1024² photo (ISNet through onnxruntime-node) vs imgly's own wrapper on
 *   the same image and model, peak RSS of each in a fresh process, ours also with 2 concurrent
 *   requests; remove-background-edges: edge-band alpha and fringe colour error, refined vs not;
 * - conservative 4× (esrgan-thick as an ONNX graph) of 256² and of 1024² vs sharp lanczos3
 *   (bench/local-models/onnx.ts); sr-cancel: abort → settled / CPU quiet of a 256² tile, killed in
 *   the model process vs left to finish on the model thread, beside the tile's own time;
 *   sr-graphs-1024: the product's esrgan graph (int8, float head and tail) vs the same quantiser
 *   with every conv int8, CPU and gain over lanczos3 on real crops (local-models/esrgan-graphs.ts);
 * - fill of a 64² hole in real photos (texture keep, PSNR, seam) and in 512², and erase of a 10%
 *   mask on a 2048² photo (PatchMatch) vs OpenCV Telea (bench/local-models/fill.ts);
 * - crop-subjects: share of social-format crops of annotated real photos that keep the subject,
 *   smart crop vs libvips attention vs centre, and analysis time vs attention's (local-models/crop.ts);
 * - centernet: CenterNet per photo, the ONNX graph on onnxruntime (2 and 1 threads) vs Human's
 *   tfjs-wasm, idle and beside a decode (local-models/centernet.ts);
 * - movenet: MoveNet lightning per photo, the ONNX graph on onnxruntime (1 and 2 threads) vs
 *   Human's tfjs-wasm, idle and beside a decode (local-models/movenet.ts);
 * - blazeface: blazeface per photo, the ONNX graph on onnxruntime (1 and 2 threads) vs Human's
 *   tfjs-wasm, idle and beside a decode (local-models/blazeface.ts).
 * Pass case names to run only some: remove-background, remove-background-edges, sr-256, sr-1024,
 * sr-cancel, sr-graphs-1024, fill-photos, fill-64, erase-2048, crop-subjects, centernet, movenet,
 * blazeface.
 */

interface Timing {
  wallMs: number;
  /** User + system CPU time of the process: unlike wall time, barely affected by other load. */
  cpuMs: number;
}

interface CaseResult {
  name: string;
  subjectLabel: string;
  subject: Timing;
  baselineLabel: string;
  baseline: Timing | undefined;
  notes: string[];
  peakRssMb: number;
}

const CASES = [
  'remove-background',
  'remove-background-edges',
  'sr-256',
  'sr-1024',
  'sr-cancel',
  'sr-graphs-1024',
  'fill-photos',
  'fill-64',
  'erase-2048',
  'crop-subjects',
  'centernet',
  'movenet',
  'blazeface',
] as const;
type CaseName = (typeof CASES)[number];

const ms = (t: Timing): string => `${t.wallMs.toFixed(0)} ms (cpu ${t.cpuMs.toFixed(0)} ms)`;

const peakRssMb = (): number => process.resourceUsage().maxRSS / 1024;

async function runCase(name: CaseName): Promise<CaseResult> {
  const result =
    name === 'remove-background'
      ? await removeBackgroundCase()
      : name === 'remove-background-edges'
        ? await removeBackgroundEdgesCase()
        : name === 'sr-256'
          ? await superResolutionCase(256)
          : name === 'sr-1024'
            ? await superResolutionCase(1024)
            : name === 'sr-cancel'
              ? await superResolutionCancelCase()
              : name === 'sr-graphs-1024'
                ? await esrganGraphsCase(1024)
                : name === 'fill-photos'
                  ? await fillPhotosCase()
                  : name === 'fill-64'
                    ? await fill64Case()
                    : name === 'crop-subjects'
                      ? await cropSubjectsCase()
                      : name === 'centernet'
                        ? await centernetCase()
                        : name === 'movenet'
                          ? await movenetCase()
                          : name === 'blazeface'
                            ? await blazefaceCase()
                            : await erase2048Case();
  return { ...result, peakRssMb: peakRssMb() };
}

function report(r: CaseResult): void {
  const ratio = r.baseline === undefined ? 'n/a' : `${(r.subject.wallMs / r.baseline.wallMs).toFixed(2)}×`;
  const baseline = r.baseline === undefined ? 'n/a' : ms(r.baseline);
  process.stdout.write(
    `${r.name}\n  ${r.subjectLabel}: ${ms(r.subject)}\n  ${r.baselineLabel}: ${baseline}\n  ratio ${ratio} (wall) | peak RSS ${r.peakRssMb.toFixed(0)} MB\n` +
      r.notes.map((n) => `  ${n}\n`).join(''),
  );
}

const child = process.argv.indexOf('--case');
if (child >= 0) {
  const result = await runCase(process.argv[child + 1] as CaseName);
  process.stdout.write(`${JSON.stringify(result)}\n`);
} else {
  const wanted = process.argv.slice(2).filter((a): a is CaseName => (CASES as readonly string[]).includes(a));
  process.stdout.write(
    `local models bench (${new Date().toISOString()}, load average ${(await import('node:os'))
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')})\n`,
  );
  let failed = 0;
  for (const name of wanted.length ? wanted : CASES) {
    const res = spawnSync(process.execPath, ['--import', 'tsx', import.meta.filename, '--case', name], {
      encoding: 'utf8',
      maxBuffer: 16 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const line = res.stdout.trim().split('\n').pop() ?? '';
    if (res.status !== 0 || !line.startsWith('{')) {
      failed++;
      process.stdout.write(`${name}: failed (exit ${res.status})\n${res.stdout}`);
      continue;
    }
    report(JSON.parse(line) as CaseResult);
  }
  process.exitCode = failed ? 1 : 0;
}
