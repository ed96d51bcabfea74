import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import sharp from 'sharp';
import { z } from 'zod';
import {
  cutOut,
  foregroundMask,
  removeBackground,
} from '../../apps/server/src/imaging/local/background-removal.ts';
import { modelProcess } from '../../apps/server/src/imaging/local/onnx/model-process.ts';
import { type FloatTensor, runModel } from '../../apps/server/src/imaging/local/onnx/onnx-thread.ts';
import { packageDir } from '../../apps/server/src/imaging/local/package-dir.ts';
import type { RawImage } from '../../apps/server/src/imaging/local/raw-image.ts';
import { upscaleConservative } from '../../apps/server/src/imaging/local/super-resolution.ts';
import { edgeErrors, knownAlphaScene } from '../../apps/server/src/imaging/local/testing/known-alpha.ts';
import { realPhoto } from '../../test/support/real-photos.ts';
import { load, median, type Timing, timed } from './measure.ts';

/**
 * The onnxruntime cases of bench:local-models.
 * - remove-background: a real photo at 1024², ISNet through the model thread vs imgly's own
 *   wrapper (same model), each in a fresh process of its own so peak RSS is the cut-out's alone:
 *   ours with 1 request and with 2 concurrent requests, imgly's with 1.
 * - remove-background-edges: a real photo with a known hairy alpha over real grass and wood
 *   (testing/known-alpha.ts); alpha and fringe colour error in the edge band, refined vs not.
 * - sr-256 / sr-1024: conservative 4× of a real photo crop vs sharp lanczos3, with load average;
 *   model CPU is the bench's own plus the model process's.
 * - sr-cancel: a 256² tile aborted part-way, killed in the model process (now) vs left to finish
 *   on the model thread (before): abort → promise settled and abort → CPU quiet, beside the tile.
 */

export interface OnnxCaseResult {
  name: string;
  subjectLabel: string;
  subject: Timing;
  baselineLabel: string;
  baseline: Timing | undefined;
  notes: string[];
}

const ms = (t: Timing): string => `${t.wallMs.toFixed(0)} ms (cpu ${t.cpuMs.toFixed(0)} ms)`;

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

/** The model process up (forked, session loaded) before anything is timed. */
async function warmModelProcess(): Promise<Timing> {
  const tiny: FloatTensor = { data: new Float32Array(3 * 16 * 16), dims: [1, 3, 16, 16] };
  const cpu = modelProcess.cpuMs;
  const [, t] = await timed(() => modelProcess.run({ model: 'esrgan-thick-4x', inputs: [tiny] }));
  return { wallMs: t.wallMs, cpuMs: t.cpuMs + modelProcess.cpuMs - cpu };
}

/** Peak RSS of the model process so far (it is a separate process: not in this one's figure). */
function modelProcessPeakMb(): number {
  const status = readFileSync(`/proc/${modelProcess.pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

export async function superResolutionCase(size: number): Promise<OnnxCaseResult> {
  const img = await photo('garden', size);
  const before = load();
  const sessionLoad = await warmModelProcess();
  const [, lanczos] = await timed(() =>
    sharp(img.data, { raw: { width: size, height: size, channels: 3 } })
      .resize(size * 4, size * 4, { kernel: 'lanczos3' })
      .raw()
      .toBuffer(),
  );
  let tiles = 0;
  const childCpu = modelProcess.cpuMs;
  const [, own] = await timed(() =>
    upscaleConservative(img, {
      onProgress: () => {
        tiles++;
      },
    }),
  );
  const model = { wallMs: own.wallMs, cpuMs: own.cpuMs + modelProcess.cpuMs - childCpu };
  return {
    name: `conservative 4× ${size}² → ${size * 4}² (real photo)`,
    subjectLabel: 'esrgan-thick ONNX graph (model process), 2 threads, 256² tiles + 8 px',
    subject: model,
    baselineLabel: 'sharp lanczos3',
    baseline: lanczos,
    notes: [
      `model process start + graph build + session load ${ms(sessionLoad)}, ${tiles} tiles, ` +
        `model cpu ${((1000 * model.cpuMs) / (size * size)).toFixed(0)} µs per input pixel`,
      `model process peak RSS ${modelProcessPeakMb().toFixed(0)} MB (the bench process's is below)`,
      `load average before ${before}, after ${load()} (2 cores)`,
    ],
  };
}

/** State letter and CPU time (ms) of a process from /proc, or undefined once it is gone. */
function procStat(pid: number): { state: string; cpuMs: number } | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // Fields after the command name (which may hold spaces): state is 3rd, utime/stime 14th/15th.
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { state: f[0]!, cpuMs: (Number(f[11]) + Number(f[12])) * 10 };
}

/** Resolves when `pid` is gone or a zombie (burns no CPU), with how long after `t0` that was. */
async function quietAfter(pid: number, t0: number): Promise<number> {
  for (;;) {
    const s = procStat(pid);
    if (!s || s.state === 'Z') return performance.now() - t0;
    await new Promise((r) => setImmediate(r));
  }
}

const sleep = (msec: number) => new Promise((r) => setTimeout(r, msec));

/**
 * Cancel of a 256² tile (one tile of the default size) at 30%, 50% and 70% of its measured time:
 * abort → settled and abort → CPU quiet, killed in the model process vs, as before, raced on the
 * model thread (settles at once, but the thread's tile runs on to its end).
 */
export async function superResolutionCancelCase(): Promise<OnnxCaseResult> {
  const img = await photo('garden', 256);
  const input: FloatTensor = { data: new Float32Array(3 * 256 * 256), dims: [1, 3, 256, 256] };
  for (let i = 0; i < 256 * 256; i++)
    for (let c = 0; c < 3; c++) input.data[c * 256 * 256 + i] = img.data[i * 3 + c]! / 255;
  const before = load();
  await warmModelProcess();
  const childCpu = modelProcess.cpuMs;
  const [, own] = await timed(() => upscaleConservative(img));
  const tile = { wallMs: own.wallMs, cpuMs: own.cpuMs + modelProcess.cpuMs - childCpu };
  // The model thread's session, warm, for the before case.
  await runModel({
    model: 'esrgan-thick-4x',
    inputs: [{ data: input.data.slice(0, 3 * 256), dims: [1, 3, 16, 16] }],
  });

  const killed: { settle: number; quiet: number; cpuAfter: number }[] = [];
  const raced: { settle: number; quiet: number; cpuAfter: number }[] = [];
  for (const at of [0.3, 0.5, 0.7]) {
    const stop = new AbortController();
    const run = upscaleConservative(img, { signal: stop.signal });
    while (!modelProcess.running) await sleep(1);
    await sleep(at * tile.wallMs);
    const pid = modelProcess.pid!;
    const cpuAtAbort = procStat(pid)?.cpuMs ?? 0;
    let lastCpu = cpuAtAbort;
    const watch = (async () => {
      for (let s = procStat(pid); s && s.state !== 'Z'; s = procStat(pid)) {
        lastCpu = s.cpuMs;
        await new Promise((r) => setImmediate(r));
      }
    })();
    const t0 = performance.now();
    stop.abort(new Error('canceled'));
    const quiet = quietAfter(pid, t0);
    await run.catch(() => undefined);
    const settle = performance.now() - t0;
    await watch;
    killed.push({ settle, quiet: await quiet, cpuAfter: lastCpu - cpuAtAbort });

    const threadStop = new AbortController();
    const cpu0 = process.cpuUsage();
    const threadRun = runModel({
      model: 'esrgan-thick-4x',
      inputs: [{ ...input, data: input.data.slice() }],
    });
    const canceled = new Promise<never>((_, reject) =>
      threadStop.signal.addEventListener('abort', () => reject(threadStop.signal.reason), { once: true }),
    );
    const settled = Promise.race([threadRun, canceled]).catch(() => undefined);
    await sleep(at * tile.wallMs);
    const t1 = performance.now();
    const cpuAtAbortThread = process.cpuUsage(cpu0);
    threadStop.abort(new Error('canceled'));
    await settled;
    const threadSettle = performance.now() - t1;
    await threadRun;
    const used = process.cpuUsage(cpu0);
    raced.push({
      settle: threadSettle,
      quiet: performance.now() - t1,
      cpuAfter: (used.user + used.system - cpuAtAbortThread.user - cpuAtAbortThread.system) / 1000,
    });
  }
  const summary = (xs: typeof killed) =>
    xs.map((x) => `${x.settle.toFixed(0)}/${x.quiet.toFixed(0)}/${x.cpuAfter.toFixed(0)}`).join(', ');
  const subject = {
    wallMs: median(killed.map((x) => x.quiet)),
    cpuMs: median(killed.map((x) => x.cpuAfter)),
  };
  const baseline = { wallMs: median(raced.map((x) => x.quiet)), cpuMs: median(raced.map((x) => x.cpuAfter)) };
  return {
    name: 'cancel of a 256² ESRGAN tile at 30/50/70% of it (real photo): abort → CPU quiet, median of 3',
    subjectLabel: 'model process killed (now)',
    subject,
    baselineLabel: 'model thread, call raced (before)',
    baseline,
    notes: [
      `the tile uncanceled: ${ms(tile)}; abort → quiet is ${(subject.wallMs / tile.wallMs).toFixed(3)}× the tile (now), ` +
        `${(baseline.wallMs / tile.wallMs).toFixed(2)}× (before)`,
      `abort → settled: now median ${median(killed.map((x) => x.settle)).toFixed(0)} ms, before ` +
        `${median(raced.map((x) => x.settle)).toFixed(0)} ms (rejected at once, the tile ran on)`,
      `per cancel, settled/quiet/cpu after abort in ms: now ${summary(killed)}; before ${summary(raced)}`,
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
