import fs from 'node:fs';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { SCHEMA_FILE, schemaTypes, templateLiteralOf } from './openapi.ts';

describe('apps/web/src/api/schema.gen.ts', () => {
  it('is what the server registers today (else run `npm run openapi`)', async () => {
    const fresh = await schemaTypes();
    expect(fresh).toContain('"/api/content-assets/{id}"');
    const committed = fs.readFileSync(SCHEMA_FILE, 'utf8');
    expect(committed === fresh, 'schema.gen.ts is stale: run `npm run openapi` and commit it').toBe(true);
  });
});

describe('templateLiteralOf', () => {
  const printed = (pattern: string) => {
    const node = templateLiteralOf(pattern);
    const file = ts.createSourceFile('t.ts', '', ts.ScriptTarget.Latest);
    return node && ts.createPrinter().printNode(ts.EmitHint.Unspecified, node, file);
  };

  it("reads zod's template literal regexes back as template literal types", () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the expected TypeScript source
    expect(printed('^[\\s\\S]{0,}\\.[\\s\\S]{0,}$')).toBe('`${string}.${string}`');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the expected TypeScript source
    expect(printed('^job-[\\s\\S]{0,}$')).toBe('`job-${string}`');
  });

  it('leaves any other pattern a plain string', () => {
    for (const pattern of [
      '^[a-z]+$',
      '^#[0-9a-f]{6}$',
      '[\\s\\S]{0,}',
      '^a.b[\\s\\S]{0,}$',
      '^\\d[\\s\\S]{0,}$',
    ]) {
      expect(printed(pattern)).toBeUndefined();
    }
  });
});
