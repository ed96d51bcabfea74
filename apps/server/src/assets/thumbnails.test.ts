import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lookDifference, makePng } from '../../../../test/support/images.ts';
import {
  addUser,
  bearer,
  setupAdmin,
  startTestApp,
  type TestApp,
} from '../../../../test/support/test-app.ts';
import { makeThumbnails } from '../imaging/thumbnails.ts';
import { sha256Hex } from '../storage/blob-store.ts';

describe('thumbnails', () => {
  let t: TestApp;
  let alice: { token: string; userId: number };
  let bob: { token: string; userId: number };
  beforeAll(async () => {
    t = await startTestApp();
    alice = await setupAdmin(t.app);
    bob = await addUser(t.app, alice.token, 'bob@example.com');
  });
  afterAll(async () => t?.close());

  it('makes two WebP sizes and a placeholder, and reuses them for the same bytes', async () => {
    const bytes = await makePng(1600, 900, 3);
    const first = await t.ctx.assets.create({ userId: alice.userId, bytes, sourceModule: 'upload' });
    const second = await t.ctx.assets.create({ userId: bob.userId, bytes, sourceModule: 'upload' });
    const rows = await t.ctx.db.kysely
      .selectFrom('assets')
      .select(['id', 'thumb_small_sha256', 'thumb_large_sha256', 'thumbhash'])
      .where('id', 'in', [first.asset.id, second.asset.id])
      .execute();
    expect(rows[0]?.thumb_small_sha256).toBeTruthy();
    expect(rows[1]).toMatchObject({
      thumb_small_sha256: rows[0]?.thumb_small_sha256,
      thumb_large_sha256: rows[0]?.thumb_large_sha256,
      thumbhash: rows[0]?.thumbhash,
    });

    for (const [size, long] of [
      ['small', 256],
      ['large', 1024],
    ] as const) {
      const res = await t.app.inject({
        url: `/api/content-assets/${second.asset.id}/thumbnail?size=${size}`,
        headers: bearer(bob.token),
      });
      expect(res.headers['content-type']).toBe('image/webp');
      const meta = await sharp(res.rawPayload).metadata();
      expect([meta.format, Math.max(meta.width ?? 0, meta.height ?? 0)]).toEqual(['webp', long]);
    }

    await t.ctx.assets.delete(alice.userId, first.asset.id);
    const kept = await t.app.inject({
      url: `/api/content-assets/${second.asset.id}/thumbnail`,
      headers: bearer(bob.token),
    });
    expect(kept.statusCode).toBe(200);
  });

  it('deferred thumbnails: made on demand, resumed after a restart, and removed with a deleted row', async () => {
    const bytes = await makePng(1200, 800, 7);
    const { asset } = await t.ctx.assets.create({
      userId: alice.userId,
      bytes,
      sourceModule: 'upload',
      deferThumbnails: true,
    });
    const res = await t.app.inject({
      url: `/api/content-assets/${asset.id}/thumbnail?size=small`,
      headers: bearer(alice.token),
    });
    expect(res.statusCode).toBe(200);
    expect((await sharp(res.rawPayload).metadata()).width).toBe(256);
    expect(await lookDifference(res.rawPayload, bytes)).toBeLessThan(3);
    await t.ctx.assets.thumbnailsSettled();
    const thumbsOf = () =>
      t.ctx.db.kysely
        .selectFrom('assets')
        .select(['thumb_small_sha256', 'thumb_large_sha256', 'thumbhash'])
        .where('id', '=', asset.id)
        .executeTakeFirstOrThrow();
    const made = await thumbsOf();
    expect(made.thumbhash).toBeTruthy();

    // A run that stopped before thumbnailing: the next start finds the row and finishes it.
    await t.ctx.db.kysely
      .updateTable('assets')
      .set({ thumb_small_sha256: null, thumb_large_sha256: null, thumbhash: null })
      .where('id', '=', asset.id)
      .execute();
    expect(await t.ctx.assets.resumeThumbnails()).toBe(1);
    await t.ctx.assets.thumbnailsSettled();
    expect(await thumbsOf()).toEqual(made);

    // Deleted before its thumbnails were made: they do not outlive it.
    const other = await makePng(900, 900, 11);
    const expected = await makeThumbnails(other);
    const doomed = await t.ctx.assets.create({
      userId: alice.userId,
      bytes: other,
      sourceModule: 'upload',
      deferThumbnails: true,
    });
    await t.ctx.assets.delete(alice.userId, doomed.asset.id);
    await t.ctx.assets.thumbnailsSettled();
    for (const blob of [other, expected.small, expected.large]) {
      expect(await t.ctx.blobs.has(sha256Hex(blob))).toBe(false);
    }
  });
});
