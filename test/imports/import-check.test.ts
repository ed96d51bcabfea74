import { describe, expect, it } from 'vitest';
import { findViolations, judge } from '../../scripts/import-check.ts';

const S = 'apps/server/src';

/** A few files in the real layers, with the imports under test. */
const check = (files: Record<string, string>) => findViolations(new Map(Object.entries(files))).violations;

describe('check:imports', () => {
  it('passes imports that go down or stay level, and type imports of the contracts', () => {
    expect(
      check({
        [`${S}/routes/edit.routes.ts`]: "import type { Context } from '../context.ts';",
        [`${S}/context.ts`]: "import { EditService } from './edit/edit.service.ts';",
        [`${S}/edit/edit.service.ts`]:
          "import { cloudCandidates } from '../studio/cloud.ts';\nimport type { EditJobInput } from '@studio/contracts';",
        [`${S}/studio/cloud.ts`]: "import { AppError } from '../errors.ts';",
        [`${S}/errors.ts`]: '',
        'packages/contracts/src/index.ts': "export * from './edit.ts';",
        'packages/contracts/src/edit.ts': "import { z } from 'zod';",
      }),
    ).toEqual([]);
  });

  it('reports an upward import, naming both layers', () => {
    const found = check({
      [`${S}/jobs/handlers.ts`]: "import type { Context } from '../context.ts';",
      [`${S}/context.ts`]: '',
    });
    expect(found).toEqual([
      {
        rule: 'upward',
        from: `${S}/jobs/handlers.ts`,
        to: `${S}/context.ts`,
        why: 'providers/imaging/assets/jobs (3) may not import context (5)',
      },
    ]);
  });

  it('reports the contracts importing from an app', () => {
    const found = check({
      'packages/contracts/src/jobs.ts': "import { JobRow } from '../../../apps/server/src/db/schema.ts';",
      [`${S}/db/schema.ts`]: '',
    });
    expect(found.map((v) => v.rule)).toEqual(['upward']);
  });

  it('reports a cycle once with every file in it, type-only imports included', () => {
    const found = check({
      [`${S}/edit/edit-request.ts`]: "import type { EditJobInput } from './edit.service.ts';",
      [`${S}/edit/edit.service.ts`]: "import { editRequest } from './edit-request.ts';",
      [`${S}/edit/operations.ts`]: '',
    });
    expect(found).toEqual([
      {
        rule: 'cycle',
        from: `${S}/edit/edit-request.ts`,
        to: `${S}/edit/edit-request.ts → ${S}/edit/edit.service.ts`,
        why: 'import cycle',
      },
    ]);
  });

  it('reports sharp outside imaging/ (also re-exported or imported lazily), not inside it', () => {
    const found = check({
      [`${S}/imaging/encode.ts`]: "import sharp from 'sharp';",
      [`${S}/create/exact-size.ts`]:
        "// import sharp from 'sharp' in a comment is no import\nimport sharp from 'sharp';",
      [`${S}/upscale/lazy.ts`]: "export const load = () => import('sharp');",
    });
    expect(found.map((v) => `${v.rule} ${v.from}`)).toEqual([
      `pixels ${S}/create/exact-size.ts`,
      `pixels ${S}/upscale/lazy.ts`,
    ]);
  });

  it('reports a file in no layer', () => {
    expect(check({ [`${S}/grab-bag.ts`]: '' }).map((v) => v.rule)).toEqual(['unlayered']);
  });

  it('excuses only listed exceptions, and flags one that no longer happens', () => {
    const violations = check({ [`${S}/assets/a.ts`]: "import '../social/b.ts';", [`${S}/social/b.ts`]: '' });
    const known = [{ rule: 'upward', from: `${S}/assets/a.ts`, to: `${S}/social/b.ts`, owner: 'x' }];
    expect(judge(violations, known)).toEqual({ failing: [], stale: [] });
    expect(judge([], known).stale).toEqual(known);
  });
});
