/**
 * `npm run check:imports` (part of `npm run lint`): the server's import rules (scripts/import-rules.ts)
 * over every source file of the server and the contracts, tests aside. Imports are read with
 * TypeScript's own pre-processor, so comments and strings are never taken for one. Exits 1 on a
 * violation not listed as a known exception, or on a known exception that is fixed but still listed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { findViolations, judge } from './import-check.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const SOURCE_ROOTS = ['apps/server/src', 'packages/contracts/src'];

const isSource = (file: string) =>
  file.endsWith('.ts') && !file.endsWith('.test.ts') && !file.endsWith('.d.ts');

function walk(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory())
      return entry.name === 'testing' || entry.name === 'node_modules' ? [] : walk(rel);
    return isSource(rel) ? [rel] : [];
  });
}

const sources = new Map(
  SOURCE_ROOTS.flatMap(walk).map((f) => [f, fs.readFileSync(path.join(ROOT, f), 'utf8')]),
);
const { files, violations } = findViolations(sources);
const { failing, stale } = judge(violations);
for (const v of failing) process.stderr.write(`${v.rule}: ${v.from} → ${v.to} (${v.why})\n`);
for (const e of stale)
  process.stderr.write(`known exception now fixed, remove it from import-rules.ts: ${e.from} → ${e.to}\n`);
const excused = violations.length - failing.length;
process.stdout.write(
  `check:imports: ${files} files, ${failing.length} violations` +
    (excused ? `, ${excused} known exceptions (scripts/import-rules.ts)` : '') +
    '\n',
);
process.exitCode = failing.length > 0 || stale.length > 0 ? 1 : 0;
