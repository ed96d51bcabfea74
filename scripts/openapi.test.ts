import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SCHEMA_FILE, schemaTypes } from './openapi.ts';

describe('apps/web/src/api/schema.gen.ts', () => {
  it('is what the server registers today (else run `npm run openapi`)', async () => {
    const fresh = await schemaTypes();
    expect(fresh).toContain('"/api/content-assets/{id}"');
    const committed = fs.readFileSync(SCHEMA_FILE, 'utf8');
    expect(committed === fresh, 'schema.gen.ts is stale: run `npm run openapi` and commit it').toBe(true);
  });
});
