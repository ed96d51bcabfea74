import type { Asset, CreditsSummary } from '@studio/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StabilityFake } from '../../../../test/fakes/stability.ts';
import { hasPostgres } from '../../../../test/support/backends.ts';
import { makePng } from '../../../../test/support/images.ts';
import {
  addUser,
  bearer,
  setupAdmin,
  startTestApp,
  type TestApp,
} from '../../../../test/support/test-app.ts';
import { PLANS } from '../billing/plans.ts';
import { sha256Hex } from '../storage/blob-store.ts';

const MIB = 1024 * 1024;

interface ErrorBody {
  error: { code: string; message: string; details: { used: number; limit: number; needed: number } };
}

describe.each([
  ['sqlite', true],
  ['postgres', hasPostgres()],
] as const)('storage quota on %s', (dialect, available) => {
  describe('from the plan', () => {
    let t: TestApp;
    beforeAll(async () => {
      if (!available) return;
      t = await startTestApp({ dialect });
    });
    afterAll(async () => t?.close());

    it.runIf(available)('is the plan’s, shown with the credits, and follows a plan change', async () => {
      const admin = await setupAdmin(t.app);
      const bob = await addUser(t.app, admin.token, 'bob@example.com');
      const credits = async () =>
        (await t.app.inject({ url: '/api/credits', headers: bearer(bob.token) })).json<CreditsSummary>();

      const before = await credits();
      expect(before.storage).toEqual({ used_bytes: 0, limit_bytes: PLANS.free.storageBytes });
      expect(before.plan.storage_bytes).toBe(PLANS.free.storageBytes);

      const png = await makePng(30, 20, 1);
      const up = await t.app.inject({
        method: 'POST',
        url: '/api/content-assets/upload',
        headers: bearer(bob.token),
        payload: { image_base64: png.toString('base64') },
      });
      expect(up.statusCode, up.body).toBe(201);
      const plan = await t.app.inject({
        method: 'PUT',
        url: `/api/admin/users/${bob.userId}/plan`,
        headers: bearer(admin.token),
        payload: { plan: 'pro' },
      });
      expect(plan.statusCode, plan.body).toBe(200);
      expect((await credits()).storage).toEqual({
        used_bytes: png.length,
        limit_bytes: PLANS.pro.storageBytes,
      });
    });
  });

  describe('a Social export', () => {
    const exportOf = (t: TestApp, token: string, png: Buffer) =>
      t.app.inject({
        method: 'POST',
        url: '/api/image-studio/social/optimize',
        headers: bearer(token),
        payload: {
          image_base64: png.toString('base64'),
          platforms: ['instagram'],
          format_names: { instagram: ['Story', 'Feed Post (Square)'] },
          include_base64: false,
        },
      });

    it.runIf(available)('that cannot fit as a whole is refused before any of it is saved', async () => {
      const png = await makePng(64, 48, 9);
      const measure = await startTestApp({ dialect });
      let whole: number;
      try {
        const { token } = await setupAdmin(measure.app);
        expect((await exportOf(measure, token, png)).statusCode).toBe(200);
        const credits = await measure.app.inject({ url: '/api/credits', headers: bearer(token) });
        whole = credits.json<CreditsSummary>().storage.used_bytes;
      } finally {
        await measure.close();
      }

      // One byte short: every image but the last would fit on its own.
      const t = await startTestApp({ dialect, env: { STORAGE_QUOTA_MB: String((whole - 1) / MIB) } });
      try {
        const { token } = await setupAdmin(t.app);
        const res = await exportOf(t, token, png);
        expect(res.statusCode, res.body).toBe(413);
        expect(res.json<ErrorBody>().error).toMatchObject({
          code: 'storage_quota_exceeded',
          details: { used: 0, limit: whole - 1, needed: whole },
        });
        expect(await t.ctx.db.kysely.selectFrom('assets').select('id').execute()).toEqual([]);
        expect(await t.ctx.blobs.has(sha256Hex(png))).toBe(false);
      } finally {
        await t.close();
      }
    });
  });

  describe('set for everyone (STORAGE_QUOTA_MB)', () => {
    const stability = new StabilityFake();
    let t: TestApp;
    let token: string;
    let userId: number;
    let first: Buffer;
    let second: Buffer;
    let rival: Buffer;
    let big: Buffer;
    let limit: number;

    const upload = (png: Buffer) =>
      t.app.inject({
        method: 'POST',
        url: '/api/content-assets/upload',
        headers: bearer(token),
        payload: { image_base64: png.toString('base64') },
      });
    const storage = async () =>
      (await t.app.inject({ url: '/api/credits', headers: bearer(token) })).json<CreditsSummary>().storage;
    const rows = () => t.ctx.db.kysely.selectFrom('assets').select(['id', 'sha256']).execute();

    beforeAll(async () => {
      if (!available) return;
      first = await makePng(40, 30, 1);
      second = await makePng(40, 30, 2);
      rival = await makePng(40, 30, 3);
      big = await makePng(400, 300, 4);
      // Room for `first` and one of `second`/`rival`, never both, and never `big`.
      limit = first.length + Math.max(second.length, rival.length) + 16;
      expect(Math.min(second.length, rival.length)).toBeGreaterThan(16);
      expect(big.length).toBeGreaterThan(limit);
      await stability.start();
      t = await startTestApp({
        dialect,
        env: {
          STORAGE_QUOTA_MB: String(limit / MIB),
          STABILITY_API_KEY: 'sk-test',
          STABILITY_BASE_URL: stability.baseUrl,
        },
      });
      ({ token, userId } = await setupAdmin(t.app));
    });
    afterAll(async () => {
      await t?.close();
      await stability.stop();
    });

    it.runIf(available)('counts each image once: the same bytes again cost nothing', async () => {
      expect((await upload(first)).statusCode).toBe(201);
      expect(await storage()).toEqual({ used_bytes: first.length, limit_bytes: limit });
      expect((await upload(first)).statusCode).toBe(200);
      const copy = await t.ctx.assets.create({
        userId,
        bytes: first,
        sourceModule: 'image_studio',
      });
      expect(copy.created).toBe(true);
      expect((await storage()).used_bytes).toBe(first.length);
    });

    it.runIf(available)(
      'refuses an upload past the quota with 413 and leaves no row or blob behind',
      async () => {
        const before = await rows();
        const res = await upload(big);
        expect(res.statusCode).toBe(413);
        const body = res.json<ErrorBody>();
        expect(body.error.code).toBe('storage_quota_exceeded');
        expect(body.error.details).toEqual({ used: first.length, limit, needed: big.length });
        expect(body.error.message).toMatch(/storage is free/);
        expect(await rows()).toEqual(before);
        expect(await t.ctx.blobs.has(sha256Hex(big))).toBe(false);
      },
    );

    it.runIf(available)('lets exactly one of two saves racing for the last room through', async () => {
      const results = await Promise.all([upload(second), upload(rival)]);
      expect(results.map((r) => r.statusCode).sort()).toEqual([201, 413]);
      const winner = results[0]?.statusCode === 201 ? second : rival;
      const loser = winner === second ? rival : second;
      expect((await storage()).used_bytes).toBe(first.length + winner.length);
      expect(await t.ctx.blobs.has(sha256Hex(loser))).toBe(false);
      expect((await rows()).map((r) => r.sha256)).not.toContain(sha256Hex(loser));
    });

    it.runIf(available)('refuses a studio result past the quota without charging for it', async () => {
      const balance = async () =>
        (await t.app.inject({ url: '/api/credits', headers: bearer(token) })).json<CreditsSummary>().balance;
      const before = { balance: await balance(), rows: await rows() };
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/image-studio/create',
        headers: bearer(token),
        payload: { prompt: 'a lighthouse at dusk', provider: 'stability', width: 512, height: 512 },
      });
      expect(res.statusCode, res.body).toBe(413);
      expect(res.json<ErrorBody>().error.code).toBe('storage_quota_exceeded');
      expect(await balance()).toBe(before.balance);
      expect(await rows()).toEqual(before.rows);
      const held = await t.app.inject({ url: '/api/credits', headers: bearer(token) });
      expect(held.json<CreditsSummary>().reserved).toBe(0);
    });

    it.runIf(available)('frees room when an image is purged, not when it is only trashed', async () => {
      const asset = (await upload(first)).json<Asset>();
      const used = (await storage()).used_bytes;
      const trash = await t.app.inject({
        method: 'DELETE',
        url: `/api/content-assets/${asset.id}`,
        headers: bearer(token),
      });
      expect(trash.statusCode, trash.body).toBeLessThan(300);
      expect((await storage()).used_bytes).toBe(used);
      for (const row of await rows()) {
        if (row.sha256 !== sha256Hex(first)) continue;
        const purge = await t.app.inject({
          method: 'DELETE',
          url: `/api/content-assets/${row.id}?permanent=true`,
          headers: bearer(token),
        });
        expect(purge.statusCode, purge.body).toBeLessThan(300);
      }
      expect((await storage()).used_bytes).toBe(used - first.length);
      // The room a purge frees is usable at once, though the quota's remembered bound still counts it.
      expect((await upload(first)).statusCode).toBe(201);
      expect((await storage()).used_bytes).toBe(used);
    });
  });
});
