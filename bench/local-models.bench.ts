import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import sharp from 'sharp';
import {
  foregroundMask,
  isnet,
  removeBackground,
} from '../apps/server/src/imaging/local/background-removal.ts';
import { packageDir } from '../apps/server/src/imaging/local/package-dir.ts';
import { esrganThick4x, upscaleConservative } from '../apps/server/src/imaging/local/super-resolution.ts';
import { photoLikeScene } from '../apps/server/src/imaging/local/testing/synthetic-images.ts';
import { erase2048Case, fill64Case, fillPhotosCase } from './local-models/fill.ts';

/**
 * `npm run bench:local-models`: the offline image models, each case in its own child process so
 * its peak RSS is its own, each beside a baseline run in the same process:
 * - remove-background on 1024² (ISNet through onnxruntime-node) vs imgly's own wrapper on the
 *   same image and model;
 * - conservative 4× (esrgan-thick as an ONNX graph) of 256² and of 1024² vs sharp lanczos3;
 * - fill of a 64² hole in real photos (texture keep, PSNR, seam) and in 512², and erase of a 10%
 *   mask on a 2048² photo (PatchMatch) vs OpenCV Telea (bench/local-models/fill.ts).
 * Pass case names to run only some: remove-background, sr-256, sr-1024, fill-photos, fill-64,
 * erase-2048.
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

const CASES = ['remove-background', 'sr-256', 'sr-1024', 'fill-photos', 'fill-64', 'erase-2048'] as const;
type CaseName = (typeof CASES)[number];

async function timed<T>(fn: () => Promise<T> | T): Promise<[T, Timing]> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const value = await fn();
  const used = process.cpuUsage(cpu);
  return [value, { wallMs: performance.now() - start, cpuMs: (used.user + used.system) / 1000 }];
}

const ms = (t: Timing): string => `${t.wallMs.toFixed(0)} ms (cpu ${t.cpuMs.toFixed(0)} ms)`;

const peakRssMb = (): number => process.resourceUsage().maxRSS / 1024;

async function removeBackgroundCase(): Promise<Omit<CaseResult, 'peakRssMb'>> {
  const scene = await photoLikeScene(1024);
  const [, load] = await timed(() => isnet.load());
  const [, cold] = await timed(() => removeBackground(scene));
  const [, warm] = await timed(() => removeBackground(scene));
  const notes = [`session load ${ms(load)}, first call ${ms(cold)}`];
  let baseline: Timing | undefined;
  try {
    const imgly = await import('@imgly/background-removal-node');
    const png = await sharp(scene.data, { raw: { width: 1024, height: 1024, channels: 3 } })
      .png()
      .toBuffer();
    const config = {
      publicPath: `${pathToFileURL(join(packageDir('@imgly/background-removal-node'), 'dist')).href}/`,
      model: 'medium' as const,
    };
    const blob = new Blob([new Uint8Array(png)], { type: 'image/png' });
    await imgly.removeBackground(blob, config);
    [, baseline] = await timed(() => imgly.removeBackground(blob, config));
  } catch (e) {
    notes.push(`imgly baseline unavailable: ${e instanceof Error ? e.message : String(e)}`);
  }
  const mask = await foregroundMask(scene);
  notes.push(`mask mean ${(mask.data.reduce((a, b) => a + b, 0) / mask.data.length).toFixed(1)}/255`);
  return {
    name: 'remove-background 1024²',
    subjectLabel: 'ISNet via onnxruntime-node (warm)',
    subject: warm,
    baselineLabel: "imgly's wrapper, same model (warm)",
    baseline,
    notes,
  };
}

async function superResolutionCase(size: number): Promise<Omit<CaseResult, 'peakRssMb'>> {
  const img = await photoLikeScene(size);
  const [, load] = await timed(() => esrganThick4x.load());
  const [, lanczos] = await timed(() =>
    sharp(img.data, { raw: { width: size, height: size, channels: 3 } })
      .resize(size * 4, size * 4, { kernel: 'lanczos3' })
      .raw()
      .toBuffer(),
  );
  let tiles = 0;
  const [, model] = await timed(() =>
    upscaleConservative(img, {
      onProgress: () => {
        tiles++;
      },
    }),
  );
  return {
    name: `conservative 4× ${size}² → ${size * 4}²`,
    subjectLabel: 'esrgan-thick ONNX graph, 2 threads, tiled',
    subject: model,
    baselineLabel: 'sharp lanczos3',
    baseline: lanczos,
    notes: [`graph build + session load ${ms(load)} (once per process), ${tiles} tiles`],
  };
}

async function runCase(name: CaseName): Promise<CaseResult> {
  const result =
    name === 'remove-background'
      ? await removeBackgroundCase()
      : name === 'sr-256'
        ? await superResolutionCase(256)
        : name === 'sr-1024'
          ? await superResolutionCase(1024)
          : name === 'fill-photos'
            ? await fillPhotosCase()
            : name === 'fill-64'
              ? await fill64Case()
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
