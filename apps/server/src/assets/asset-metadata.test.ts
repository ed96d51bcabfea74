import type { Asset } from '@studio/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasPostgres } from '../../../../test/support/backends.ts';
import { makePng } from '../../../../test/support/images.ts';
import { bearer, setupAdmin, startTestApp, type TestApp } from '../../../../test/support/test-app.ts';
import { MAX_ASSET_PARAMS_BYTES } from './asset-metadata.ts';

describe.each([
  ['sqlite', true],
  ['postgres', hasPostgres()],
] as const)('asset_metadata size on %s', (dialect, available) => {
  let t: TestApp;
  let token: string;
  let asset: Asset;

  const put = (payload: object) =>
    t.app.inject({ method: 'PUT', url: `/api/content-assets/${asset.id}`, headers: bearer(token), payload });
  const stored = async () =>
    (await t.app.inject({ url: `/api/content-assets/${asset.id}`, headers: bearer(token) })).json<Asset>();
  /** About `kb` KB of JSON under one key. */
  const chunk = (kb: number) => 'x'.repeat(kb * 1024);

  beforeAll(async () => {
    if (!available) return;
    t = await startTestApp({ dialect });
    token = (await setupAdmin(t.app)).token;
    const up = await t.app.inject({
      method: 'POST',
      url: '/api/content-assets/upload',
      headers: bearer(token),
      payload: { image_base64: (await makePng(16, 12, 7)).toString('base64'), title: 'kept' },
    });
    expect(up.statusCode, up.body).toBe(201);
    asset = up.json<Asset>();
  });
  afterAll(async () => t?.close());

  it.runIf(available)('stores metadata up to the limit; replacing a key does not add up', async () => {
    expect((await put({ asset_metadata: { notes: chunk(40) } })).statusCode).toBe(200);
    const again = await put({ asset_metadata: { notes: chunk(45) } });
    expect(again.statusCode, again.body).toBe(200);
    expect(String((await stored()).params.notes)).toHaveLength(45 * 1024);
  });

  it.runIf(available)(
    'refuses with 413 a merge that would pass the limit, changing nothing in the request',
    async () => {
      const res = await put({ title: 'renamed', asset_metadata: { more: chunk(30) } });
      expect(res.statusCode).toBe(413);
      const body = res.json<{
        error: { code: string; message: string; details: { size: number; limit: number } };
      }>();
      expect(body.error.code).toBe('asset_metadata_too_large');
      expect(body.error.message).toMatch(/may hold 64 KB of JSON.*Nothing was changed/);
      expect(body.error.details.limit).toBe(MAX_ASSET_PARAMS_BYTES);
      expect(body.error.details.size).toBeGreaterThan(MAX_ASSET_PARAMS_BYTES);
      const after = await stored();
      expect(after.title).toBe('kept');
      expect(after.params).not.toHaveProperty('more');
      expect(String(after.params.notes)).toHaveLength(45 * 1024);
    },
  );

  it.runIf(available)('counts bytes, not characters', async () => {
    const res = await put({ asset_metadata: { notes: null, wide: 'é'.repeat(34 * 1024) } });
    expect(res.statusCode).toBe(413);
    expect(res.json<{ error: { code: string } }>().error.code).toBe('asset_metadata_too_large');
  });
});
