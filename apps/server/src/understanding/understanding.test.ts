import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { hasPostgres } from '../../../../test/support/backends.ts';
import {
  addUser,
  bearer,
  setupAdmin,
  startTestApp,
  type TestApp,
} from '../../../../test/support/test-app.ts';
import { packageDir } from '../imaging/local/package-dir.ts';
import { hammingDistance } from './duplicates.ts';

const humanAssets = path.join(packageDir('@vladmandic/human'), 'assets');
const photo = (name: string) => fs.readFileSync(path.join(humanAssets, name));

const Analysis = z.object({
  status: z.string(),
  phash: z.string().nullable(),
  palette: z.array(z.object({ hex: z.string(), share: z.number() })),
  analyzed_at: z.string().nullable(),
});
const Duplicates = z.object({
  groups: z.array(z.object({ kind: z.string(), asset_ids: z.array(z.number()), max_distance: z.number() })),
  pending: z.number(),
});

/** Half #2255ff, half white: the palette must name both in about equal shares. */
const twoColours = () =>
  sharp({ create: { width: 400, height: 200, channels: 3, background: '#ffffff' } })
    .composite([
      {
        input: { create: { width: 200, height: 200, channels: 3, background: '#2255ff' } },
        left: 0,
        top: 0,
      },
    ])
    .png()
    .toBuffer();

async function upload(t: TestApp, token: string, bytes: Buffer, title: string): Promise<number> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/content-assets/upload',
    headers: bearer(token),
    payload: { image_base64: bytes.toString('base64'), title },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: number }>().id;
}

describe.each([
  ['sqlite', true],
  ['postgres', hasPostgres()],
] as const)('image understanding on %s', (dialect, available) => {
  let t: TestApp;
  let alice: string;
  let bob: string;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    if (!available) return;
    t = await startTestApp({ dialect, env: { ANALYZE_NEW_ASSETS: 'true' } });
    const admin = await setupAdmin(t.app);
    alice = admin.token;
    bob = (await addUser(t.app, alice, 'bob@example.com')).token;
    const samples = photo('samples.jpg');
    ids.samples = await upload(t, alice, samples, 'Samples');
    // A resized, recompressed copy: other bytes, the same picture.
    ids.resized = await upload(
      t,
      alice,
      await sharp(samples).resize(640).jpeg({ quality: 60 }).toBuffer(),
      'Samples small',
    );
    ids.face = await upload(t, alice, photo('screenshot-facedetect.jpg'), 'Face');
    const vrm = photo('screenshot-vrm.jpg');
    ids.vrm = await upload(t, alice, vrm, 'VRM');
    // The same bytes under another title, as a studio saves them (uploads would return the first).
    ids.vrmCopy = (
      await t.ctx.assets.create({
        userId: admin.userId,
        bytes: vrm,
        sourceModule: 'upload',
        title: 'VRM again',
      })
    ).asset.id;
    ids.colours = await upload(t, alice, await twoColours(), 'Blue and white');
    ids.bobs = await upload(t, bob, samples, 'Bob samples');
    await t.ctx.analysisWorker.idle();
  });
  afterAll(async () => t?.close());

  const analysis = async (token: string, id: number) =>
    t.app.inject({ url: `/api/content-assets/${id}/analysis`, headers: bearer(token) });

  it.runIf(available)('new images are analysed in the background: hash and palette', async () => {
    const res = await analysis(alice, ids.colours ?? 0);
    expect(res.statusCode).toBe(200);
    const body = Analysis.parse(res.json());
    expect(body.status).toBe('done');
    expect(body.phash).toMatch(/^[0-9a-f]{16}$/);
    const [first, second] = body.palette;
    expect(body.palette).toHaveLength(2);
    expect(new Set([first?.hex, second?.hex])).toEqual(new Set(['#2255ff', '#ffffff']));
    expect(first?.share).toBeGreaterThan(0.45);
    expect(second?.share).toBeGreaterThan(0.45);

    const photoPalette = Analysis.parse((await analysis(alice, ids.samples ?? 0)).json()).palette;
    expect(photoPalette.length).toBeGreaterThanOrEqual(2);
    expect(photoPalette.reduce((sum, c) => sum + c.share, 0)).toBeLessThanOrEqual(1.001);

    expect((await analysis(bob, ids.colours ?? 0)).statusCode).toBe(404);
  });

  it.runIf(available)('the asset list filters by a dominant colour, within a tolerance', async () => {
    const list = async (query: string, token = alice) => {
      const res = await t.app.inject({ url: `/api/content-assets?${query}`, headers: bearer(token) });
      expect(res.statusCode, res.body).toBe(200);
      return res.json<{ assets: Array<{ id: number }>; total: number }>();
    };
    const blue = await list('color=%232255ff');
    expect(blue.assets.map((a) => a.id)).toEqual([ids.colours]);
    expect(blue.total).toBe(1);
    // A nearby blue still matches; a tight tolerance around a shifted blue does not.
    expect((await list('color=%232a5cf0')).assets.map((a) => a.id)).toEqual([ids.colours]);
    expect((await list('color=%232a5cf0&color_tolerance=2')).assets).toEqual([]);
    expect((await list('color=%232255ff&search=blue')).assets.map((a) => a.id)).toEqual([ids.colours]);
    expect((await list('color=%232255ff&search=samples')).assets).toEqual([]);
    expect((await list('color=%232255ff', bob)).assets).toEqual([]);
    const bad = await t.app.inject({ url: '/api/content-assets?color=blue', headers: bearer(alice) });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('validation_failed');
  });

  it.runIf(available)('duplicates: exact copies apart from similar ones, owner-scoped', async () => {
    const res = await t.app.inject({ url: '/api/content-assets/duplicates', headers: bearer(alice) });
    expect(res.statusCode, res.body).toBe(200);
    const body = Duplicates.parse(res.json());
    expect(body.pending).toBe(0);
    const exact = body.groups.filter((g) => g.kind === 'exact');
    const similar = body.groups.filter((g) => g.kind === 'similar');
    expect(exact.map((g) => g.asset_ids)).toEqual([[ids.vrm, ids.vrmCopy]]);
    expect(similar.map((g) => g.asset_ids)).toEqual([[ids.samples, ids.resized]]);
    expect(similar[0]?.max_distance).toBeLessThanOrEqual(8);

    // Unrelated photos are far apart, so the threshold has room on both sides.
    const hash = async (id: number | undefined) =>
      Analysis.parse((await analysis(alice, id ?? 0)).json()).phash ?? '';
    expect(hammingDistance(await hash(ids.samples), await hash(ids.face))).toBeGreaterThan(16);
    expect(hammingDistance(await hash(ids.face), await hash(ids.vrm))).toBeGreaterThan(16);

    const bobs = Duplicates.parse(
      (await t.app.inject({ url: '/api/content-assets/duplicates', headers: bearer(bob) })).json(),
    );
    expect(bobs.groups).toEqual([]);

    // Keeping one: the others go to the trash and the group is gone.
    const trashed = await t.app.inject({
      method: 'DELETE',
      url: `/api/content-assets/${ids.resized}`,
      headers: bearer(alice),
    });
    expect(trashed.statusCode).toBe(200);
    const after = Duplicates.parse(
      (await t.app.inject({ url: '/api/content-assets/duplicates', headers: bearer(alice) })).json(),
    );
    expect(after.groups.filter((g) => g.kind === 'similar')).toEqual([]);
  });
});

describe.each([
  ['sqlite', true],
  ['postgres', hasPostgres()],
] as const)('the analysis backfill on %s', (dialect, available) => {
  it.runIf(available)(
    'analyses what is left as a job with progress, carrying on after a restart',
    async () => {
      const first = await startTestApp({ dialect, env: { ANALYZE_NEW_ASSETS: 'false' } });
      let second: TestApp | undefined;
      try {
        const admin = await setupAdmin(first.app);
        const idsOf: number[] = [];
        for (const [i, name] of [
          'samples.jpg',
          'screenshot-facedetect.jpg',
          'screenshot-vrm.jpg',
          'screenshot-faceid.jpg',
        ].entries()) {
          idsOf.push(await upload(first, admin.token, photo(name), `Photo ${i}`));
        }
        const status = async (t: TestApp, id: number) =>
          Analysis.parse((await analysis(t, admin.token, id)).json());
        expect((await status(first, idsOf[0] ?? 0)).status).toBe('pending');

        // A previous run got as far as the first image before the process stopped.
        const [head] = await first.ctx.understanding.pending(0);
        if (!head) throw new Error('nothing pending');
        await first.ctx.understanding.analyze(head);
        const firstAt = (await status(first, head.id)).analyzed_at;
        await first.close();

        second = await startTestApp({ dialect, reuse: { dataDir: first.dataDir, env: first.env } });
        const accepted = await second.app.inject({
          method: 'POST',
          url: '/api/content-assets/analysis/backfill',
          headers: bearer(admin.token),
        });
        expect(accepted.statusCode, accepted.body).toBe(202);
        const jobId = z.object({ job_id: z.string() }).parse(accepted.json()).job_id;
        const job = await second.ctx.jobs.waitFor(jobId);
        expect(job.status).toBe('succeeded');
        expect(z.object({ analyzed: z.number() }).parse(JSON.parse(job.result ?? 'null')).analyzed).toBe(3);
        for (const id of idsOf) expect((await status(second, id)).status).toBe('done');
        expect((await status(second, head.id)).analyzed_at).toBe(firstAt);

        // Nothing left: another run finds nothing to do.
        const again = await second.app.inject({
          method: 'POST',
          url: '/api/content-assets/analysis/backfill',
          headers: bearer(admin.token),
        });
        const rerun = await second.ctx.jobs.waitFor(
          z.object({ job_id: z.string() }).parse(again.json()).job_id,
        );
        expect(z.object({ analyzed: z.number() }).parse(JSON.parse(rerun.result ?? 'null')).analyzed).toBe(0);
      } finally {
        await second?.close();
      }
    },
  );
});

async function analysis(t: TestApp, token: string, id: number) {
  return t.app.inject({ url: `/api/content-assets/${id}/analysis`, headers: bearer(token) });
}

describe.each([
  ['sqlite', true],
  ['postgres', hasPostgres()],
] as const)('canceling the analysis backfill on %s', (dialect, available) => {
  it.runIf(available)(
    'a backfill waiting for the local-model slot is canceled and saves nothing',
    async () => {
      const t = await startTestApp({
        dialect,
        env: { ANALYZE_NEW_ASSETS: 'false', LOCAL_MODEL_CONCURRENCY: '1' },
      });
      try {
        const admin = await setupAdmin(t.app);
        const id = await upload(t, admin.token, photo('screenshot-vrm.jpg'), 'VRM');
        // Another local model holds the only slot until released.
        let release = () => {};
        const held = t.ctx.admission.localModel(1, undefined, () => new Promise<void>((r) => (release = r)));
        const accepted = await t.app.inject({
          method: 'POST',
          url: '/api/content-assets/analysis/backfill',
          headers: bearer(admin.token),
        });
        const jobId = z.object({ job_id: z.string() }).parse(accepted.json()).job_id;
        for (let i = 0; i < 400; i++) {
          const job = await t.app.inject({ url: `/api/jobs/${jobId}`, headers: bearer(admin.token) });
          if (job.json<{ status: string }>().status === 'running') break;
          await new Promise((r) => setTimeout(r, 25));
        }
        const cancel = await t.app.inject({
          method: 'POST',
          url: `/api/jobs/${jobId}/cancel`,
          headers: bearer(admin.token),
        });
        expect(cancel.statusCode, cancel.body).toBeLessThan(300);
        expect((await t.ctx.jobs.waitFor(jobId)).status).toBe('canceled');
        release();
        await held;
        expect(Analysis.parse((await analysis(t, admin.token, id)).json()).status).toBe('pending');
      } finally {
        await t.close();
      }
    },
  );
});
