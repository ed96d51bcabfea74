import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { hasPostgres } from '../../../../test/support/backends.ts';
import { makePng } from '../../../../test/support/images.ts';
import {
  addUser,
  bearer,
  setupAdmin,
  startTestApp,
  type TestApp,
} from '../../../../test/support/test-app.ts';

const Created = z.object({
  token: z.string(),
  url: z.string(),
  link: z.object({ id: z.number(), status: z.string(), has_password: z.boolean(), expires_at: z.string() }),
});
const Gallery = z.object({
  title: z.string(),
  kind: z.string(),
  assets: z.array(
    z.object({
      id: z.number(),
      image_url: z.string(),
      thumbnail_url: z.string(),
      download_url: z.string().nullable(),
    }),
  ),
});

describe.each([
  ['sqlite', true],
  ['postgres', hasPostgres()],
] as const)('share links on %s', (dialect, available) => {
  let t: TestApp;
  let alice: string;
  let bob: string;
  const ids: Record<string, number> = {};

  const upload = async (token: string, width: number, seed: number, title: string) => {
    const png = (await makePng(width, Math.round(width * 0.75), seed)).toString('base64');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/content-assets/upload',
      headers: bearer(token),
      payload: { image_base64: png, title },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ id: number }>().id;
  };
  const share = async (token: string, payload: object) =>
    t.app.inject({ method: 'POST', url: '/api/share-links', headers: bearer(token), payload });
  const anon = (url: string) => t.app.inject({ url, remoteAddress: '10.0.0.9' });

  beforeAll(async () => {
    if (!available) return;
    t = await startTestApp({ dialect, env: { LOGIN_RATE_LIMIT_PER_MINUTE: '5' } });
    alice = (await setupAdmin(t.app)).token;
    bob = (await addUser(t.app, alice, 'bob@example.com')).token;
    ids.inA = await upload(alice, 1600, 1, 'Beach');
    ids.inB = await upload(alice, 300, 2, 'Dunes');
    ids.trashed = await upload(alice, 200, 3, 'Trashed');
    ids.outside = await upload(alice, 200, 4, 'Private');
    ids.bobs = await upload(bob, 200, 5, 'Bob');
    const collection = await t.app.inject({
      method: 'POST',
      url: '/api/content-assets/collections',
      headers: bearer(alice),
      payload: { name: 'Summer' },
    });
    ids.collection = collection.json<{ id: number }>().id;
    const added = await t.app.inject({
      method: 'POST',
      url: `/api/content-assets/collections/${ids.collection}/assets`,
      headers: bearer(alice),
      payload: { asset_ids: [ids.inA, ids.inB, ids.trashed] },
    });
    expect(added.statusCode, added.body).toBeLessThan(300);
    const trashed = await t.app.inject({
      method: 'DELETE',
      url: `/api/content-assets/${ids.trashed}`,
      headers: bearer(alice),
    });
    expect(trashed.statusCode).toBe(200);
  });
  afterAll(async () => t?.close());

  it.runIf(available)(
    'a collection link opens a read-only gallery of web-sized copies, and nothing else of the owner',
    async () => {
      const res = await share(alice, { collection_id: ids.collection });
      expect(res.statusCode, res.body).toBe(201);
      const created = Created.parse(res.json());
      expect(created.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(created.url).toBe(`/s/${created.token}`);
      const days = (Date.parse(created.link.expires_at) - Date.now()) / 86_400_000;
      expect(days).toBeGreaterThan(29.9);
      expect(days).toBeLessThan(30.1);

      const stored = await sql<{
        token_hash: string;
      }>`select token_hash from share_links where id = ${created.link.id}`.execute(t.ctx.db.kysely);
      expect(stored.rows[0]?.token_hash).toBe(createHash('sha256').update(created.token).digest('hex'));

      const gallery = await anon(`/api/public/shares/${created.token}`);
      expect(gallery.statusCode, gallery.body).toBe(200);
      const body = Gallery.parse(gallery.json());
      expect(body.title).toBe('Summer');
      expect(body.assets.map((a) => a.id).sort()).toEqual([ids.inA, ids.inB].sort());
      expect(body.assets.every((a) => a.download_url === null)).toBe(true);

      const big = body.assets.find((a) => a.id === ids.inA);
      const image = await anon(big?.image_url ?? '');
      expect(image.statusCode).toBe(200);
      expect(image.headers['cache-control']).toBe('private, no-store');
      const meta = await sharp(image.rawPayload).metadata();
      expect(meta.format).toBe('webp');
      expect(Math.max(meta.width ?? 0, meta.height ?? 0)).toBe(1024);

      const original = await anon(`/api/public/shares/${created.token}/assets/${ids.inA}/original`);
      expect(original.statusCode).toBe(403);

      for (const id of [ids.trashed, ids.outside, ids.bobs, 999_999]) {
        for (const what of ['image', 'image?size=small', 'original']) {
          const r = await anon(`/api/public/shares/${created.token}/assets/${id}/${what}`);
          expect(r.statusCode, `${id} ${what}`).toBe(404);
        }
      }
      // The owner's own API stays closed to the anonymous caller.
      expect((await anon(`/api/content-assets/${ids.inA}/file`)).statusCode).toBe(401);
    },
  );

  it.runIf(available)(
    'a single-asset link with downloads gives the original bytes and only that asset',
    async () => {
      const created = Created.parse(
        (await share(alice, { asset_id: ids.inB, allow_download: true, expires_in_days: 1 })).json(),
      );
      const body = Gallery.parse((await anon(`/api/public/shares/${created.token}`)).json());
      expect(body.kind).toBe('asset');
      expect(body.assets.map((a) => a.id)).toEqual([ids.inB]);
      const original = await anon(body.assets[0]?.download_url ?? '');
      expect(original.statusCode).toBe(200);
      expect(original.headers['content-disposition']).toMatch(/^attachment/);
      const mine = await t.app.inject({ url: `/api/content-assets/${ids.inB}/file`, headers: bearer(alice) });
      expect(Buffer.compare(original.rawPayload, mine.rawPayload)).toBe(0);
      for (const id of [ids.inA, ids.outside, ids.bobs]) {
        expect((await anon(`/api/public/shares/${created.token}/assets/${id}/image`)).statusCode).toBe(404);
      }
    },
  );

  it.runIf(available)(
    'a password-protected link opens only with a grant from the right password',
    async () => {
      const created = Created.parse(
        (await share(alice, { collection_id: ids.collection, password: 'open sesame' })).json(),
      );
      expect(created.link.has_password).toBe(true);
      const locked = await anon(`/api/public/shares/${created.token}`);
      expect(locked.statusCode).toBe(403);
      expect(locked.json().error.code).toBe('share_password_required');
      const lockedImage = await anon(`/api/public/shares/${created.token}/assets/${ids.inA}/image`);
      expect(lockedImage.statusCode).toBe(403);

      const unlock = (password: string) =>
        t.app.inject({
          method: 'POST',
          url: `/api/public/shares/${created.token}/unlock`,
          payload: { password },
          remoteAddress: '10.0.0.7',
        });
      const wrong = await unlock('open barley');
      expect(wrong.statusCode).toBe(403);
      expect(wrong.json().error.code).toBe('share_password_wrong');
      const right = await unlock('open sesame');
      expect(right.statusCode, right.body).toBe(200);
      const { grant } = z.object({ grant: z.string() }).parse(right.json());

      const gallery = await anon(`/api/public/shares/${created.token}?grant=${encodeURIComponent(grant)}`);
      expect(gallery.statusCode).toBe(200);
      const tile = Gallery.parse(gallery.json()).assets[0];
      expect((await anon(tile?.image_url ?? '')).statusCode).toBe(200);

      const forged = `${grant.split('.')[0]}.${'A'.repeat(43)}`;
      expect((await anon(`/api/public/shares/${created.token}?grant=${forged}`)).statusCode).toBe(403);

      // The unlock route is held to the sign-in rate limit (5 a minute here) per address.
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) codes.push((await unlock('guess')).statusCode);
      expect(codes).toContain(429);
    },
  );

  it.runIf(available)(
    'revoked and expired links are 404 at once; others cannot share or revoke',
    async () => {
      const created = Created.parse((await share(alice, { collection_id: ids.collection })).json());
      const url = `/api/public/shares/${created.token}`;
      expect((await anon(url)).statusCode).toBe(200);

      expect(
        (
          await t.app.inject({
            method: 'DELETE',
            url: `/api/share-links/${created.link.id}`,
            headers: bearer(bob),
          })
        ).statusCode,
      ).toBe(404);
      expect((await anon(url)).statusCode).toBe(200);

      const revoked = await t.app.inject({
        method: 'DELETE',
        url: `/api/share-links/${created.link.id}`,
        headers: bearer(alice),
      });
      expect(revoked.json().status).toBe('revoked');
      expect((await anon(url)).statusCode).toBe(404);
      expect((await anon(`${url}/assets/${ids.inA}/image`)).statusCode).toBe(404);

      const other = Created.parse((await share(alice, { asset_id: ids.inA })).json());
      expect((await anon(`/api/public/shares/${other.token}`)).statusCode).toBe(200);
      await sql`update share_links set expires_at = ${new Date(Date.now() - 1000).toISOString()} where id = ${other.link.id}`.execute(
        t.ctx.db.kysely,
      );
      expect((await anon(`/api/public/shares/${other.token}`)).statusCode).toBe(404);
      expect((await anon(`/api/public/shares/${'x'.repeat(43)}`)).statusCode).toBe(404);

      const list = await t.app.inject({ url: '/api/share-links', headers: bearer(alice) });
      const statuses = new Map(
        list.json<{ links: Array<{ id: number; status: string }> }>().links.map((l) => [l.id, l.status]),
      );
      expect(statuses.get(created.link.id)).toBe('revoked');
      expect(statuses.get(other.link.id)).toBe('expired');
      expect((await share(bob, { asset_id: ids.inA })).statusCode).toBe(404);
      expect((await share(bob, { collection_id: ids.collection })).statusCode).toBe(404);
      expect((await share(alice, { asset_id: ids.trashed })).statusCode).toBe(404);
      const both = await share(alice, { asset_id: ids.inA, collection_id: ids.collection });
      expect(both.statusCode).toBe(400);
      const bobsList = await t.app.inject({ url: '/api/share-links', headers: bearer(bob) });
      expect(bobsList.json().links).toEqual([]);
    },
  );
});
