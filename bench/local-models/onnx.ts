import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import sharp from 'sharp';
import { z } from 'zod';
import {
  cutOut,
  foregroundMask,
  removeBackground,
} from '../../apps/server/src/imaging/local/background-removal.ts';
import { packageDir } from '../../apps/server/src/imaging/local/package-dir.ts';
import type { RawImage } from '../../apps/server/src/imaging/local/raw-image.ts';
import { esrganThick4x } from '../../apps/server/src/imaging/local/super-resolution/esrgan-session.ts';
import { upscaleConservative } from '../../apps/server/src/imaging/local/super-resolution.ts';
import { edgeErrors, knownAlphaScene } from '../../apps/server/src/imaging/local/testing/known-alpha.ts';
import { realPhoto } from '../../test/support/real-photos.ts';

/**
 * The onnxruntime cases of bench:local-models.
 * - remove-background: a real photo at 1024², ISNet through the model thread vs imgly's own
 *   wrapper (same model), each in a fresh process of its own so peak RSS is the cut-out's alone:
 *   ours with 1 request and with 2 concurrent requests, imgly's with 1.
 * - remove-background-edges: a real photo with a known hairy alpha over real grass and wood
 *   (testing/known-alpha.ts); alpha and fringe colour error in the edge band, refined vs not.
 * - sr-256 / sr-1024: conservative 4× of a real photo crop vs sharp lanczos3, with load average.
 */

export interface Timing {
  wallMs: number;
  cpuMs: number;
}

export interface OnnxCaseResult {
  name: string;
  subjectLabel: string;
  subject: Timing;
  baselineLabel: string;
  baseline: Timing | undefined;
  notes: string[];
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, Timing]> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const value = await fn();
  const used = process.cpuUsage(cpu);
  return [value, { wallMs: performance.now() - start, cpuMs: (used.user + used.system) / 1000 }];
}

const ms = (t: Timing): string => `${t.wallMs.toFixed(0)} ms (cpu ${t.cpuMs.toFixed(0)} ms)`;
const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

async function photo(name: Parameters<typeof realPhoto>[0], size: number): Promise<RawImage> {
  const data = await sharp(realPhoto(name))
    .resize(size, size, { fit: 'cover' })
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer();
  return { data, width: size, height: size, channels: 3 };
}

const Probe = z.object({ wallMs: z.number(), cpuMs: z.number(), peakRssMb: z.number() });
type Probe = z.infer<typeof Probe>;
const PROBES = ['ours-1', 'ours-2', 'imgly-1'] as const;
type ProbeMode = (typeof PROBES)[number];

/** One cut-out workload in this process (a fresh child): the first call, so load is included. */
async function probe(mode: ProbeMode): Promise<Probe> {
  const image = await photo('garden', 1024);
  let work: () => Promise<unknown>;
  if (mode === 'imgly-1') {
    const imgly = await import('@imgly/background-removal-node');
    const png = await sharp(image.data, { raw: { width: 1024, height: 1024, channels: 3 } })
      .png()
      .toBuffer();
    const config = {
      publicPath: `${pathToFileURL(join(packageDir('@imgly/background-removal-node'), 'dist')).href}/`,
      model: 'medium' as const,
    };
    work = () => imgly.removeBackground(new Blob([new Uint8Array(png)], { type: 'image/png' }), config);
  } else {
    const n = mode === 'ours-2' ? 2 : 1;
    work = () => Promise.all(Array.from({ length: n }, () => removeBackground(image)));
  }
  const [, t] = await timed(work);
  return { ...t, peakRssMb: process.resourceUsage().maxRSS / 1024 };
}

function runProbe(mode: ProbeMode): Probe {
  const res = spawnSync(process.execPath, ['--import', 'tsx', import.meta.filename, '--probe', mode], {
    encoding: 'utf8',
    env: { ...process.env, MALLOC_ARENA_MAX: '2' },
    maxBuffer: 1024 * 1024,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = res.stdout.trim().split('\n').pop() ?? '';
  if (res.status !== 0) throw new Error(`remove-background probe ${mode} failed (exit ${res.status})`);
  return Probe.parse(JSON.parse(line));
}

export async function removeBackgroundCase(): Promise<OnnxCaseResult> {
  const [one, two, imgly] = PROBES.map(runProbe) as [Probe, Probe, Probe];
  return {
    name: 'remove-background 1024² (real photo), each in a fresh process, first call incl. session load',
    subjectLabel: 'ISNet via the model thread, 1 request',
    subject: one,
    baselineLabel: "imgly's wrapper, same model, 1 request",
    baseline: imgly,
    notes: [
      `peak RSS: ours 1 request ${one.peakRssMb.toFixed(0)} MB, 2 concurrent ${two.peakRssMb.toFixed(0)} MB ` +
        `(${(two.peakRssMb / one.peakRssMb).toFixed(2)}× of 1); imgly 1 request ${imgly.peakRssMb.toFixed(0)} MB ` +
        `(ours ${(one.peakRssMb / imgly.peakRssMb).toFixed(2)}× of imgly's)`,
      `2 concurrent requests: ${ms(two)}`,
      `load average ${load()}`,
    ],
  };
}

export async function removeBackgroundEdgesCase(): Promise<OnnxCaseResult> {
  const notes: string[] = [];
  let plainTime: Timing = { wallMs: 0, cpuMs: 0 };
  let refineTime: Timing = { wallMs: 0, cpuMs: 0 };
  for (const background of ['grass', 'wood'] as const) {
    const scene = await knownAlphaScene(realPhoto('dog'), realPhoto(background), 1536);
    const mask = await foregroundMask(scene.composite);
    const [plain, p] = await timed(() => cutOut(scene.composite, mask, { refine: false }));
    const [refined, r] = await timed(() => cutOut(scene.composite, mask));
    plainTime = { wallMs: plainTime.wallMs + p.wallMs, cpuMs: plainTime.cpuMs + p.cpuMs };
    refineTime = { wallMs: refineTime.wallMs + r.wallMs, cpuMs: refineTime.cpuMs + r.cpuMs };
    const a = edgeErrors(plain, scene);
    const b = edgeErrors(refined, scene);
    notes.push(
      `${background}: band alpha error ${a.alphaError.toFixed(1)} → ${b.alphaError.toFixed(1)} ` +
        `(${(b.alphaError / a.alphaError).toFixed(2)}×), fringe colour error ${a.colourError.toFixed(1)} → ` +
        `${b.colourError.toFixed(1)} (${(b.colourError / a.colourError).toFixed(2)}×), 0..255, ${b.bandPixels} band px`,
    );
  }
  return {
    name: 'remove-background edges: dog photo with a known hairy alpha over grass and wood, 1536²',
    subjectLabel: 'cut-out with edge refine (2 photos, after ISNet)',
    subject: refineTime,
    baselineLabel: 'cut-out without refine',
    baseline: plainTime,
    notes,
  };
}

export async function superResolutionCase(size: number): Promise<OnnxCaseResult> {
  const img = await photo('garden', size);
  const before = load();
  const [, sessionLoad] = await timed(() => esrganThick4x.load());
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
    name: `conservative 4× ${size}² → ${size * 4}² (real photo)`,
    subjectLabel: 'esrgan-thick ONNX graph, 2 threads, 256² tiles + 8 px',
    subject: model,
    baselineLabel: 'sharp lanczos3',
    baseline: lanczos,
    notes: [
      `graph build + session load ${ms(sessionLoad)}, ${tiles} tiles, ` +
        `model cpu ${((1000 * model.cpuMs) / (size * size)).toFixed(0)} µs per input pixel`,
      `load average before ${before}, after ${load()} (2 cores)`,
    ],
  };
}

const probeArg = process.argv.indexOf('--probe');
if (probeArg >= 0) {
  const mode = z.enum(PROBES).parse(process.argv[probeArg + 1]);
  process.stdout.write(`${JSON.stringify(await probe(mode))}\n`);
  process.exit(0);
}
