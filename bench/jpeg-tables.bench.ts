/**
 * JPEG with the standard Huffman tables (what a Social export sends first) against tables fitted to
 * each picture (libjpeg's optimised coding, sharp's default): encode CPU and bytes on every real
 * photo at an Instagram post's size, quality 80, both in this process, alternating.
 *
 * `npm run bench jpeg-tables`
 */
import sharp from 'sharp';
import { applyEncoder } from '../apps/server/src/imaging/encode.ts';
import { REAL_PHOTOS, type RealPhotoName, realPhoto } from '../test/support/real-photos.ts';

const ROUNDS = 5;
sharp.concurrency(1);

const cpuMs = async (work: () => Promise<Buffer>): Promise<[number, Buffer]> => {
  const start = process.cpuUsage();
  const bytes = await work();
  const used = process.cpuUsage(start);
  return [(used.user + used.system) / 1000, bytes];
};

let cpu = { standard: 0, fitted: 0 };
let bytes = { standard: 0, fitted: 0 };
const growth: number[] = [];
for (const name of Object.keys(REAL_PHOTOS) as RealPhotoName[]) {
  const { data, info } = await sharp(realPhoto(name))
    .resize(1080, 1080)
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const encode = (standardTables: boolean) => () =>
    applyEncoder(sharp(data, { raw: info }), { format: 'jpeg', quality: 80, standardTables }).toBuffer();
  for (let r = 0; r < ROUNDS; r++) {
    const [f, fitted] = await cpuMs(encode(false));
    const [s, standard] = await cpuMs(encode(true));
    cpu = { standard: cpu.standard + s, fitted: cpu.fitted + f };
    if (r === 0) {
      bytes = { standard: bytes.standard + standard.length, fitted: bytes.fitted + fitted.length };
      growth.push(standard.length / fitted.length);
    }
  }
}
growth.sort((a, b) => a - b);
const pct = (x: number) => `${((x - 1) * 100).toFixed(1)}%`;
console.log(`JPEG q80 at 1080×1080, ${growth.length} real photos × ${ROUNDS} rounds, one libvips thread:`);
console.log(`  fitted tables (sharp's default): ${cpu.fitted.toFixed(0)} ms CPU, ${bytes.fitted} bytes`);
console.log(`  standard tables (sent first):    ${cpu.standard.toFixed(0)} ms CPU, ${bytes.standard} bytes`);
console.log(
  `  ratio: ${(cpu.standard / cpu.fitted).toFixed(2)}× the CPU; ${pct(bytes.standard / bytes.fitted)} more bytes overall (per photo ${pct(growth[0]!)} to ${pct(growth[growth.length - 1]!)})`,
);
