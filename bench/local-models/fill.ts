import { loadavg } from 'node:os';
import sharp from 'sharp';
import { erase } from '../../apps/server/src/imaging/local/fill/content-aware-fill.ts';
import { patchMatchFill } from '../../apps/server/src/imaging/local/fill/patch-match.ts';
import { openCv, teleaInpaint } from '../../apps/server/src/imaging/local/fill/telea.ts';
import { fillQuality, loadHoleCase } from '../../apps/server/src/imaging/local/fill/testing/fill-quality.ts';
import { PHOTO_HOLES } from '../../apps/server/src/imaging/local/fill/testing/real-photo-holes.ts';
import type { RawImage, RawMask } from '../../apps/server/src/imaging/local/raw-image.ts';
import {
  discMask,
  naturalTexture,
  rectMask,
} from '../../apps/server/src/imaging/local/testing/synthetic-images.ts';
import { realPhoto } from '../../test/support/real-photos.ts';

/**
 * The erase/fill cases of `npm run bench:local-models`, each beside OpenCV Telea on the same
 * input in the same process:
 * - fill-photos: a 64×64 hole in a textured part of each real photo (real-photo-holes.ts):
 *   texture keep (Laplacian std in the hole, fill ÷ original), PSNR of the hole and the seam
 *   ratio, for PatchMatch and for Telea;
 * - fill-64: a 64² hole in a 512² synthetic texture, time;
 * - erase-2048: erase of a 10% disc from a real photo at 2048² through the product path (erase →
 *   content-aware fill → the fill thread and its helper), wall and CPU time (all threads).
 */

export interface Timing {
  wallMs: number;
  /** User + system CPU time of the process (all threads): unlike wall time, barely affected by load. */
  cpuMs: number;
}

export interface FillCaseResult {
  name: string;
  subjectLabel: string;
  subject: Timing;
  baselineLabel: string;
  baseline: Timing;
  notes: string[];
}

async function timed<T>(fn: () => Promise<T> | T): Promise<[T, Timing]> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const value = await fn();
  const used = process.cpuUsage(cpu);
  return [value, { wallMs: performance.now() - start, cpuMs: (used.user + used.system) / 1000 }];
}

const add = (a: Timing, b: Timing): Timing => ({ wallMs: a.wallMs + b.wallMs, cpuMs: a.cpuMs + b.cpuMs });
const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

export async function fillPhotosCase(): Promise<FillCaseResult> {
  await openCv.load();
  patchMatchFill(naturalTexture(256, 256, 9), rectMask(256, 256, 100, 100, 48, 48));
  let subject: Timing = { wallMs: 0, cpuMs: 0 };
  let baseline: Timing = { wallMs: 0, cpuMs: 0 };
  const notes = [
    'per photo: texture keep (goal 0.6–1.6) · PSNR dB (≥ 13) · seam (≤ 1.5), PatchMatch | Telea',
  ];
  for (const hole of PHOTO_HOLES) {
    const { image, mask } = await loadHoleCase(hole);
    const [filled, fillTime] = await timed(() => patchMatchFill(image, mask));
    const [smeared, teleaTime] = await timed(() => teleaInpaint(image, mask));
    subject = add(subject, fillTime);
    baseline = add(baseline, teleaTime);
    const q = fillQuality(image, filled, hole);
    const t = fillQuality(image, smeared, hole);
    notes.push(
      `${`${hole.photo} (${hole.x},${hole.y})`.padEnd(22)} keep ${q.textureKeep.toFixed(2)} | ${t.textureKeep.toFixed(2)}` +
        `  PSNR ${q.psnr.toFixed(1)} | ${t.psnr.toFixed(1)}  seam ${q.seam.toFixed(2)} | ${t.seam.toFixed(2)}` +
        `  (${fillTime.wallMs.toFixed(0)} ms | ${teleaTime.wallMs.toFixed(0)} ms)`,
    );
  }
  return {
    name: `fill a 64² hole in ${PHOTO_HOLES.length} real photos (total time)`,
    subjectLabel: 'PatchMatch fill (warm)',
    subject,
    baselineLabel: 'OpenCV Telea',
    baseline,
    notes,
  };
}

export async function fill64Case(): Promise<FillCaseResult> {
  const img: RawImage = naturalTexture(512, 512);
  const mask = rectMask(512, 512, 224, 224, 64, 64);
  await openCv.load();
  // The first fill in a process also pays for JIT compilation of the PatchMatch loops.
  const [, first] = await timed(() =>
    patchMatchFill(naturalTexture(256, 256, 9), rectMask(256, 256, 100, 100, 48, 48)),
  );
  const [, baseline] = await timed(() => teleaInpaint(img, mask));
  const [, subject] = await timed(() => patchMatchFill(img, mask));
  return {
    name: 'fill 64² hole in 512² (synthetic texture)',
    subjectLabel: 'PatchMatch fill (warm)',
    subject,
    baselineLabel: 'OpenCV Telea',
    baseline,
    notes: [
      `first PatchMatch call in the process (48² hole in 256², JIT warm-up) ${first.wallMs.toFixed(0)} ms`,
    ],
  };
}

/** Wood.jpg (2560×1920) cropped to 2048²: a real photo at about its own resolution. */
async function photo2048(): Promise<RawImage> {
  const { data } = await sharp(realPhoto('wood'))
    .resize(2048, 2048, { fit: 'cover' })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: 2048, height: 2048, channels: 3 };
}

export async function erase2048Case(): Promise<FillCaseResult> {
  const img = await photo2048();
  const mask: RawMask = discMask(
    2048,
    2048,
    1024,
    1024,
    Math.round(Math.sqrt((0.1 * 2048 * 2048) / Math.PI)),
  );
  await openCv.load();
  // Starts the fill thread and its helper and compiles their loops (a hole large enough to split).
  const [, first] = await timed(() =>
    erase(naturalTexture(512, 512, 9), rectMask(512, 512, 128, 128, 256, 256), { grow: 0 }),
  );
  const before = load();
  const [, baseline] = await timed(() => teleaInpaint(img, mask));
  const [, subject] = await timed(() => erase(img, mask, { grow: 0 }));
  const area = mask.data.reduce((n, v) => n + (v ? 1 : 0), 0);
  return {
    name: 'erase 10% of a 2048² photo (wood.jpg)',
    subjectLabel: 'erase → contentAwareFill → PatchMatch on the fill thread + helper (warm)',
    subject,
    baselineLabel: 'OpenCV Telea',
    baseline,
    notes: [
      `hole ${area} px (${((100 * area) / (2048 * 2048)).toFixed(1)}% of 2048²); goal ≤ 3000 ms wall on 2 idle cores`,
      `CPU ÷ wall ${(subject.cpuMs / subject.wallMs).toFixed(2)} (2 = both cores busy throughout)`,
      `load average before ${before}, after ${load()}`,
      `warm-up (threads start, JIT) ${first.wallMs.toFixed(0)} ms`,
    ],
  };
}
