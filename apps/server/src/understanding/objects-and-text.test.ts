import fs from 'node:fs';
import { sql } from 'kysely';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { hasPostgres } from '../../../../test/support/backends.ts';
import { REAL_PHOTOS } from '../../../../test/support/real-photos.ts';
import {
  addUser,
  bearer,
  setupAdmin,
  startTestApp,
  type TestApp,
} from '../../../../test/support/test-app.ts';
import { POSTER_LINES, renderPoster } from '../imaging/local/ocr/testing/poster.ts';

const Analysis = z.object({
  status: z.string(),
  text: z.string().nullable(),
  auto_tags: z.array(z.object({ label: z.string(), score: z.number(), source: z.string() })),
});
const Page = z.object({ assets: z.array(z.object({ id: z.number() })), total: z.number() });
const ErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

async function upload(t: TestApp, token: string, bytes: Buffer, title: string): Promise<number> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/content-assets/upload',
    headers: bearer(token),
    payload: { image_base64: bytes.toString('base64'), title },
  });
  expect(res.statusCode, res.body).toBe(201);
  return z.object({ id: z.number() }).parse(res.json()).id;
}

describe.each([
  ['sqlite', true],
  ['postgres', hasPostgres()],
] as const)('objects and text on %s', (dialect, available) => {
  let t: TestApp;
  let alice: string;
  let bob: string;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    if (!available) return;
    t = await startTestApp({ dialect, env: { ANALYZE_NEW_ASSETS: 'true' } });
    alice = (await setupAdmin(t.app)).token;
    bob = (await addUser(t.app, alice, 'bob@example.com')).token;
    // Titles say nothing of what is in the pictures: only the analysis can find them.
    ids.poster = await upload(
      t,
      alice,
      await renderPoster(fs.readFileSync(REAL_PHOTOS.dune.path())),
      'IMG 1',
    );
    ids.dog = await upload(t, alice, fs.readFileSync(REAL_PHOTOS.dog.path()), 'IMG 2');
    ids.footballer = await upload(t, alice, fs.readFileSync(REAL_PHOTOS.footballer.path()), 'IMG 3');
    ids.building = await upload(t, alice, fs.readFileSync(REAL_PHOTOS.building.path()), 'IMG 4');
    ids.bobsDog = await upload(t, bob, fs.readFileSync(REAL_PHOTOS.dog.path()), 'IMG 5');
    // A title someone typed outranks what the analysis found.
    const plain = await sharp({ create: { width: 320, height: 240, channels: 3, background: '#c0a080' } })
      .png()
      .toBuffer();
    ids.titled = await upload(t, alice, plain, 'Dog food colours');
    await t.ctx.analysisWorker.idle();
  }, 300_000);
  afterAll(async () => t?.close());

  const analysis = async (id: number | undefined, token = alice) => {
    const res = await t.app.inject({ url: `/api/content-assets/${id}/analysis`, headers: bearer(token) });
    expect(res.statusCode, res.body).toBe(200);
    return Analysis.parse(res.json());
  };
  const search = async (words: string, token = alice) => {
    const res = await t.app.inject({
      url: `/api/content-assets?search=${encodeURIComponent(words)}`,
      headers: bearer(token),
    });
    expect(res.statusCode, res.body).toBe(200);
    return Page.parse(res.json()).assets.map((a) => a.id);
  };
  const removeTag = (id: number | undefined, label: string, token = alice) =>
    t.app.inject({
      method: 'DELETE',
      url: `/api/content-assets/${id}/auto-tags/${encodeURIComponent(label)}`,
      headers: bearer(token),
    });

  it.runIf(available)('the text of a poster is read, shown and searchable', async () => {
    const poster = await analysis(ids.poster);
    expect(poster.status).toBe('done');
    expect(poster.text?.split('\n')).toEqual(POSTER_LINES.map((l) => l.text));
    expect(await search('summer sale')).toEqual([ids.poster]);
    expect(await search('harbour market')).toEqual([ids.poster]);
    expect(await search('summer sale', bob)).toEqual([]);
    expect((await analysis(ids.dog)).text).toBeNull();
  });

  it.runIf(available)('objects and people become automatic tags, apart from the user tags', async () => {
    const dog = await analysis(ids.dog);
    expect(dog.auto_tags.map((tag) => tag.label)).toContain('dog');
    const footballer = await analysis(ids.footballer);
    expect(footballer.auto_tags.map((tag) => tag.label)).toContain('person');
    for (const tag of [...dog.auto_tags, ...footballer.auto_tags]) {
      expect(tag.score).toBeGreaterThanOrEqual(0.25);
      expect(tag.score).toBeLessThanOrEqual(1);
    }
    expect((await analysis(ids.building)).auto_tags.map((tag) => tag.label)).not.toContain('dog');
    expect(await search('dog')).toEqual([ids.titled, ids.dog]);
    expect(await search('person')).toContain(ids.footballer);
    expect(await search('person')).not.toContain(ids.dog);
    // The user's own tags are untouched.
    const asset = await t.app.inject({ url: `/api/content-assets/${ids.dog}`, headers: bearer(alice) });
    expect(asset.json<{ tags: string[] }>().tags).toEqual([]);
  });

  it.runIf(available)('a removed tag leaves search at once and stays removed after re-analysis', async () => {
    expect((await removeTag(ids.dog, 'dog', bob)).statusCode).toBe(404);
    const unknown = await removeTag(ids.dog, 'giraffe');
    expect(unknown.statusCode).toBe(404);
    expect(ErrorBody.parse(unknown.json()).error.message).toBe(
      'Automatic tag "giraffe" of this asset not found.',
    );
    const bad = await removeTag(ids.dog, 'x'.repeat(65));
    expect(bad.statusCode).toBe(400);

    const removed = await removeTag(ids.dog, 'dog');
    expect(removed.statusCode, removed.body).toBe(200);
    expect(Analysis.parse(removed.json()).auto_tags.map((tag) => tag.label)).not.toContain('dog');
    expect(await search('dog')).toEqual([ids.titled]);
    expect((await removeTag(ids.dog, 'dog')).statusCode).toBe(404);
    // Bob's copy of the same photo keeps its own tag.
    expect(await search('dog', bob)).toEqual([ids.bobsDog]);

    const [pending] = await t.ctx.understanding.pending(0);
    expect(pending).toBeUndefined();
    const row = await sql<{ id: number; user_id: number; sha256: string; width: number; height: number }>`
      select id, user_id, sha256, width, height from assets where id = ${ids.dog}`.execute(t.ctx.db.kysely);
    const dogAsset = row.rows[0];
    if (!dogAsset) throw new Error('the dog asset is gone');
    await t.ctx.understanding.analyze(dogAsset);
    expect((await analysis(ids.dog)).auto_tags.map((tag) => tag.label)).not.toContain('dog');
    expect(await search('dog')).toEqual([ids.titled]);
  });

  it.runIf(available)('images analysed before objects and text are analysed again', async () => {
    await sql`update asset_analysis set version = 1 where asset_id = ${ids.building}`.execute(
      t.ctx.db.kysely,
    );
    expect((await analysis(ids.building)).status).toBe('pending');
    expect((await t.ctx.understanding.pending(0)).map((a) => a.id)).toEqual([ids.building]);
    await t.ctx.analysisWorker.idle();
    expect((await analysis(ids.building)).status).toBe('done');
  });
});
