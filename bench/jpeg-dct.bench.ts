/**
 * A JPEG's analysis decode (`decodeRaw` at its `analysisScale`) through TurboJPEG at the DCT's own
 * scale (`imaging/jpeg-dct.ts`) against the libvips decode it replaced (shrink-on-load, which sharp
 * halves for an exact 1/2, 1/4 or 1/8, then a Lanczos resize to the same size): the social bench's
 * 12 MP photo and the real photos decoded at a DCT scale, both ways in this process, alternating.
 *
 * `npm run bench jpeg-dct`
 */
import { loadavg } from 'node:os';
import sharp from 'sharp';
import { ingestBytes } from '../apps/server/src/imaging/ingest.ts';
import { DCT_SCALES, dctDecodingAvailable } from '../apps/server/src/imaging/jpeg-dct.ts';
import { analysisScale } from '../apps/server/src/imaging/subjects.ts';
import { hasRealPhotos, REAL_PHOTOS, type RealPhotoName, realPhoto } from '../test/support/real-photos.ts';
import { photoLike } from './photo-like.ts';

const ROUNDS = 30;
const limits = { maxUploadBytes: 64 * 1024 * 1024, maxInputPixels: 100_000_000 };

if (!dctDecodingAvailable()) {
  process.stderr.write('libturbojpeg.so.0 is missing: install libturbojpeg0 to measure this.\n');
  process.exit(1);
}
sharp.cache(false);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

/** Wall and CPU milliseconds of one call. */
async function timed(work: () => Promise<unknown>): Promise<{ wall: number; cpu: number }> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  await work();
  const used = process.cpuUsage(cpu);
  return { wall: performance.now() - start, cpu: (used.user + used.system) / 1000 };
}

const photos: Array<[string, Buffer]> = [['12 MP photo-like, 4000×3000', await photoLike(4000, 3000)]];
if (hasRealPhotos()) {
  for (const name of Object.keys(REAL_PHOTOS) as RealPhotoName[]) {
    if (REAL_PHOTOS[name].path().endsWith('.jpg')) photos.push([name, realPhoto(name)]);
  }
}

console.log(
  `JPEG analysis decode (bench jpeg-dct, ${new Date().toISOString()}, load ${loadavg()[0]?.toFixed(1)})`,
);
const ratios: number[] = [];
for (const [name, bytes] of photos) {
  const image = await ingestBytes(bytes, { limits });
  const scale = analysisScale(image);
  if (!DCT_SCALES.includes(scale)) continue;
  const { width, height } = await image.decodeRaw(scale, undefined, 'analysis');
  // The same scale decoded for drawing: libvips, as every analysis decoded before.
  const libvips = () => image.decodeRaw(scale);
  const ms = { dct: [] as number[], dctCpu: [] as number[], vips: [] as number[], vipsCpu: [] as number[] };
  for (let r = 0; r < ROUNDS + 2; r++) {
    const d = await timed(() => image.decodeRaw(scale, undefined, 'analysis'));
    const v = await timed(libvips);
    // The first rounds warm both up.
    if (r < 2) continue;
    ms.dct.push(d.wall);
    ms.dctCpu.push(d.cpu);
    ms.vips.push(v.wall);
    ms.vipsCpu.push(v.cpu);
  }
  const ratio = median(ms.dct) / median(ms.vips);
  ratios.push(ratio);
  console.log(
    `  ${name} at 1/${1 / scale} (${width}×${height}): TurboJPEG ${median(ms.dct).toFixed(1)} ms (cpu ${median(ms.dctCpu).toFixed(1)}), libvips ${median(ms.vips).toFixed(1)} ms (cpu ${median(ms.vipsCpu).toFixed(1)}): ${ratio.toFixed(2)}×`,
  );
}
console.log(
  `  ratio ${ratios[0]?.toFixed(2)}× on the 12 MP photo; median over all ${median(ratios).toFixed(2)}×`,
);
