import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasPostgres, hasS3 } from '../../../../test/support/backends.ts';
import { blobIntegrity } from '../../../../test/support/blob-integrity.ts';
import { makePng } from '../../../../test/support/images.ts';
import { bearer, setupAdmin, startTestApp, type TestApp } from '../../../../test/support/test-app.ts';
import { OrphanSweeper } from './orphan-sweeper.ts';

const BACKENDS = [
  ['sqlite', 'fs', true],
  ['postgres', 's3', hasPostgres() && hasS3()],
] as const;
const HOUR = 3_600_000;
const silent = pino({ level: 'silent' });

describe.each(BACKENDS)('orphan blob sweep (%s, %s)', (dialect, storage, available) => {
  let t: TestApp;
  let token: string;

  beforeAll(async () => {
    if (!available) return;
    t = await startTestApp({ dialect, storage });
    ({ token } = await setupAdmin(t.app));
  });
  afterAll(async () => {
    await t?.close();
  });

  const sweeperAt = (offsetMs: number) =>
    new OrphanSweeper(t.ctx.blobs, t.ctx.assets, silent, {
      graceMinutes: 60,
      clock: () => new Date(Date.now() + offsetMs),
    });

  it.runIf(available)(
    'keeps every blob a row references and young orphans; deletes orphans past the grace period',
    async () => {
      const ids: number[] = [];
      for (const seed of [1, 2]) {
        const res = await t.app.inject({
          method: 'POST',
          url: '/api/content-assets/upload',
          headers: bearer(token),
          payload: { image_base64: (await makePng(64, 48, seed)).toString('base64') },
        });
        expect(res.statusCode).toBe(201);
        ids.push(res.json<{ id: number }>().id);
      }
      const trashed = await t.app.inject({
        method: 'DELETE',
        url: `/api/content-assets/${ids[1]}`,
        headers: bearer(token),
      });
      expect(trashed.statusCode).toBe(200);
      const orphans = await Promise.all(
        ['left by a crash', 'left by another crash'].map((s) => t.ctx.blobs.put(Buffer.from(s))),
      );
      expect((await blobIntegrity(t.ctx.db.kysely, t.ctx.blobs)).orphans.sort()).toEqual(orphans.sort());

      expect(await sweeperAt(0).sweep()).toEqual({ blobs: 0, partial: 0 });
      expect((await blobIntegrity(t.ctx.db.kysely, t.ctx.blobs)).orphans).toHaveLength(2);

      expect((await sweeperAt(2 * HOUR).sweep()).blobs).toBe(2);
      expect(await blobIntegrity(t.ctx.db.kysely, t.ctx.blobs)).toEqual({ missing: [], orphans: [] });
      for (const id of ids) {
        const thumb = await t.app.inject({
          url: `/api/content-assets/${id}/thumbnail?size=small`,
          headers: bearer(token),
        });
        expect(thumb.statusCode).toBe(200);
      }
    },
  );

  it.runIf(available && storage === 'fs')(
    'removes temp files of interrupted writes past the grace period',
    async () => {
      const root = path.join(t.dataDir, 'blobs');
      fs.mkdirSync(root, { recursive: true });
      const temp = path.join(root, '.tmp-00112233aabbccdd');
      fs.writeFileSync(temp, 'half');
      expect((await sweeperAt(0).sweep()).partial).toBe(0);
      expect((await sweeperAt(2 * HOUR).sweep()).partial).toBe(1);
      expect(fs.existsSync(temp)).toBe(false);
    },
  );

  it.runIf(available)('a failing store is logged, not thrown, by the periodic run', async () => {
    let logged: (line: string) => void = () => {};
    const line = new Promise<string>((resolve) => {
      logged = resolve;
    });
    const log = pino({ level: 'error' }, { write: (l: string) => logged(l) });
    const sweeper = new OrphanSweeper(
      {
        // biome-ignore lint/correctness/useYield: a listing that fails before its first blob
        async *list() {
          throw new Error('bucket is gone');
        },
        removePartial: async () => 0,
      },
      t.ctx.assets,
      log,
      { graceMinutes: 60 },
    );
    sweeper.start();
    expect(await line).toContain('orphan blob sweep failed');
    await sweeper.stop();
  });
});
