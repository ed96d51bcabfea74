import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = path.join(import.meta.dirname, '..');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sources(path.join(dir, e.name))
      : e.name.endsWith('.tsx')
        ? [path.join(dir, e.name)]
        : [],
  );
}

describe('spinners', () => {
  // A bare Loader with a label is what axe flagged (aria-prohibited-attr) only while an estimate
  // happened to be loading, so the browser tests saw it on some machines and not others.
  it('every spinner is the labelled Busy status, never a bare Mantine Loader', () => {
    const bare = sources(SRC)
      .filter((f) => !f.endsWith(`${path.sep}Busy.tsx`))
      .filter((f) => /<Loader\b/.test(readFileSync(f, 'utf8')))
      .map((f) => path.relative(SRC, f));
    expect(bare).toEqual([]);
  });
});
