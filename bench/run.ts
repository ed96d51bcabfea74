import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * `npm run bench [name…]`: runs every benchmark under bench/ (or the named ones), each in its own
 * process so one's memory does not skew another's peak RSS. Each prints its own baseline ratio.
 * Options (`--assets=1000000`) go to every benchmark named.
 */
const dir = import.meta.dirname;
const all = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.replace(/\.bench\.ts$/, ''))
  .sort();
const args = process.argv.slice(2);
const wanted = args.filter((a) => !a.startsWith('--'));
const options = args.filter((a) => a.startsWith('--'));
const unknown = wanted.filter((w) => !all.includes(w));
if (unknown.length > 0) {
  process.stderr.write(`Unknown benchmark(s): ${unknown.join(', ')}. Available: ${all.join(', ')}\n`);
  process.exit(2);
}
let failed = 0;
for (const name of wanted.length > 0 ? wanted : all) {
  process.stdout.write(`\n=== bench: ${name} ===\n`);
  const res = spawnSync(
    process.execPath,
    ['--import', 'tsx', path.join(dir, `${name}.bench.ts`), ...options],
    {
      stdio: 'inherit',
    },
  );
  if (res.status !== 0) {
    failed++;
  }
}
process.exit(failed > 0 ? 1 : 0);
