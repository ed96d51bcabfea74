import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasPostgres, hasS3 } from '../../../../test/support/backends.ts';
import { blobIntegrity } from '../../../../test/support/blob-integrity.ts';
import { FaultyBlobStore } from '../../../../test/support/faulty-blob-store.ts';
import { makePng } from '../../../../test/support/images.ts';
import { bearer, setupAdmin, startTestApp, type TestApp } from '../../../../test/support/test-app.ts';
import { sha256Hex } from '../storage/blob-store.ts';
import { OrphanSweeper } from './orphan-sweeper.ts';

/**
 * Blobs are shared by content: a purge (or the orphan sweep) deleting the last reference's blob can
 * meet an upload of the same bytes that has written — or found — the blob but not yet committed its
 * row. Gates in the store hold the upload at exactly that point while the purge runs; afterwards the
 * new asset must be whole and no blob may be left without a row.
 */
const BACKENDS = [
  ['sqlite', 'fs', true],
  ['postgres', 's3', hasPostgres() && hasS3()],
] as const;

describe.each(BACKENDS)(
  'a purge racing an upload of the same bytes (%s, %s)',
  (dialect, storage, available) => {
    let t: TestApp;
    let store: FaultyBlobStore;
    let token: string;
    let userId: number;
    let seed = 0;

    beforeAll(async () => {
      if (!available) return;
      t = await startTestApp({
        dialect,
        storage,
        wrapBlobs: (inner) => {
          store = new FaultyBlobStore(inner);
          return store;
        },
      });
      ({ token, userId } = await setupAdmin(t.app));
    });
    afterAll(async () => {
      await t?.close();
    });

    const upload = (png: Buffer) =>
      t.app.inject({
        method: 'POST',
        url: '/api/content-assets/upload',
        headers: bearer(token),
        payload: { image_base64: png.toString('base64') },
      });

    /** An uploaded asset moved to the trash, and the stored bytes' keys. */
    async function trashedAsset() {
      const png = await makePng(96, 64, ++seed);
      const res = await upload(png);
      expect(res.statusCode).toBe(201);
      const id = res.json<{ id: number }>().id;
      const row = await t.ctx.assets.owned(userId, id);
      const trashed = await t.app.inject({
        method: 'DELETE',
        url: `/api/content-assets/${id}`,
        headers: bearer(token),
      });
      expect(trashed.statusCode).toBe(200);
      return { png, row };
    }

    const emptyTrash = async () => {
      const res = await t.app.inject({
        method: 'DELETE',
        url: '/api/content-assets/trash',
        headers: bearer(token),
      });
      expect(res.statusCode).toBe(200);
      return res.json<{ purged: number }>().purged;
    };

    async function expectWhole(res: Awaited<ReturnType<typeof upload>>, sha: string) {
      expect(res.statusCode).toBe(201);
      const id = res.json<{ id: number }>().id;
      const file = await t.app.inject({ url: `/api/content-assets/${id}/file`, headers: bearer(token) });
      expect(file.statusCode).toBe(200);
      expect(sha256Hex(file.rawPayload)).toBe(sha);
      for (const size of ['small', 'large']) {
        const thumb = await t.app.inject({
          url: `/api/content-assets/${id}/thumbnail?size=${size}`,
          headers: bearer(token),
        });
        expect(thumb.statusCode).toBe(200);
      }
      expect(await blobIntegrity(t.ctx.db.kysely, t.ctx.blobs)).toEqual({ missing: [], orphans: [] });
    }

    it.runIf(available)('the purge runs after the upload wrote the blob, before its row', async () => {
      const { png, row } = await trashedAsset();
      const gate = store.pauseNext('put', row.sha256);
      const again = upload(png);
      await gate.reached;
      expect(await emptyTrash()).toBe(1);
      gate.release();
      await expectWhole(await again, row.sha256);
    });

    it.runIf(available)('the purge runs after the upload found the thumbnails already stored', async () => {
      const { png, row } = await trashedAsset();
      expect(row.thumb_small_sha256).not.toBeNull();
      const gate = store.pauseNext('has', row.thumb_small_sha256 ?? '');
      const again = upload(png);
      await gate.reached;
      expect(await emptyTrash()).toBe(1);
      gate.release();
      await expectWhole(await again, row.sha256);
    });

    // On SQLite the purge's lock is the one connection itself: the upload could not even authenticate
    // until the deletion ended, so this interleaving only exists on PostgreSQL.
    it.runIf(available && dialect === 'postgres')(
      'the purge is held inside its deletion while the upload goes on',
      async () => {
        const { png, row } = await trashedAsset();
        const deleting = store.pauseNext('delete', row.sha256);
        const purge = emptyTrash();
        await deleting.reached;
        const wrote = store.pauseNext('put', row.sha256);
        const again = upload(png);
        await wrote.reached;
        deleting.release();
        wrote.release();
        expect(await purge).toBe(1);
        await expectWhole(await again, row.sha256);
      },
    );

    it.runIf(available)('the orphan sweep runs after the upload wrote the blob, before its row', async () => {
      const png = await makePng(72, 40, ++seed);
      const late = new OrphanSweeper(t.ctx.blobs, t.ctx.assets, pino({ level: 'silent' }), {
        graceMinutes: 60,
        clock: () => new Date(Date.now() + 2 * 3_600_000),
      });
      const gate = store.pauseNext('put');
      const first = upload(png);
      await gate.reached;
      const sha = store.puts.at(-1) ?? '';
      expect((await late.sweep()).blobs).toBeGreaterThanOrEqual(1);
      expect(await t.ctx.blobs.has(sha)).toBe(false);
      gate.release();
      await expectWhole(await first, sha);
    });
  },
);
