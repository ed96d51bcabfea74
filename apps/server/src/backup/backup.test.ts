import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StabilityFake } from '../../../../test/fakes/stability.ts';
import {
  createPgDatabase,
  createS3Bucket,
  type Dialect,
  hasPostgres,
  hasS3,
  type Storage,
} from '../../../../test/support/backends.ts';
import { makePng } from '../../../../test/support/images.ts';
import { tableRows } from '../../../../test/support/table-rows.ts';
import {
  addUser,
  bearer,
  setupAdmin,
  startTestApp,
  type TestApp,
} from '../../../../test/support/test-app.ts';
import { loadConfig } from '../config.ts';
import { sha256Hex } from '../storage/blob-store.ts';
import { createBackup } from './backup.ts';
import { type Manifest, manifestSchema, writeManifest } from './manifest.ts';
import { restoreBackup } from './restore.ts';
import { SnapshotRepository } from './snapshot.repository.ts';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../../../..');
const stability = new StabilityFake();

beforeAll(() => stability.start());
afterAll(() => stability.stop());

/** `npm run backup` / `npm run restore` as an operator runs them: a process of their own. */
const cli = (name: 'backup' | 'restore', dir: string, env: Record<string, string>) =>
  run(process.execPath, ['--import', 'tsx', `apps/server/src/backup/${name}.cli.ts`, dir], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
  });

interface Asset {
  id: number;
  sha256: string;
  title: string | null;
}

const combos: Array<[Dialect, Storage, boolean]> = [
  ['sqlite', 'fs', true],
  ['postgres', 's3', hasPostgres() && hasS3()],
];

describe.each(combos)('backup and restore on %s + %s', (dialect, storage, available) => {
  it.runIf(available)(
    'a snapshot taken while users upload brings back every row, blob, ledger line and lineage',
    async () => {
      // No APP_SECRET: the generated DATA_DIR/secret.key must travel with the snapshot.
      let t: TestApp = await startTestApp({
        dialect,
        storage,
        env: {
          APP_SECRET: '',
          // Carol uploads as fast as she can for as long as the backup takes; not the limiter's test.
          RATE_LIMIT_PER_MINUTE: '100000',
          STABILITY_API_KEY: 'sk-test',
          STABILITY_BASE_URL: stability.baseUrl,
        },
      });
      const env = t.env;
      const dataDir = t.dataDir;
      const backupDir = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-backup-'));
      try {
        const admin = await setupAdmin(t.app);
        const alice = await addUser(t.app, admin.token, 'alice@example.com', 'alice password 1');
        const carol = await addUser(t.app, admin.token, 'carol@example.com', 'carol password 1');
        const api = async (
          token: string,
          method: 'GET' | 'POST' | 'PUT' | 'DELETE',
          url: string,
          payload?: object,
        ) => {
          const res = await t.app.inject({ method, url, headers: bearer(token), payload });
          expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
          return res;
        };

        await api(admin.token, 'PUT', `/api/admin/users/${alice.userId}/plan`, { plan: 'pro' });
        await api(admin.token, 'POST', `/api/admin/users/${alice.userId}/credits`, {
          amount: 500,
          reason: 'backup test',
        });
        await api(alice.token, 'PUT', '/api/provider-keys/stability', { api_key: 'sk-alice-own-key-1234' });
        const upload = async (token: string, png: Buffer, title: string) =>
          (
            await api(token, 'POST', '/api/content-assets/upload', {
              image_base64: png.toString('base64'),
              title,
              tags: ['backup'],
            })
          ).json<Asset>();
        const source = await upload(alice.token, await makePng(400, 300, 1), 'Lighthouse source');
        const spare = await upload(alice.token, await makePng(64, 48, 2), 'Trashed spare');
        const optimized = (
          await api(alice.token, 'POST', '/api/image-studio/social/optimize', {
            asset_id: source.id,
            platforms: ['instagram'],
            format_names: { instagram: ['Story', 'Feed Post (Square)'] },
            include_base64: false,
          })
        ).json<{ results: Array<{ asset_id: number }> }>();
        const outputs = optimized.results.map((r) => r.asset_id);
        expect(outputs).toHaveLength(2);
        const created = (
          await api(alice.token, 'POST', '/api/image-studio/create', {
            prompt: 'a lighthouse at dawn',
            provider: 'stability',
            model: 'core',
            width: 512,
            height: 512,
          })
        ).json<{ results: Array<{ asset_id: number; cost_credits: number }> }>();
        expect(created.results[0]?.cost_credits).toBeGreaterThan(0);
        const collection = (
          await api(alice.token, 'POST', '/api/content-assets/collections', { name: 'Campaign' })
        ).json<{ id: number }>();
        await api(alice.token, 'POST', `/api/content-assets/collections/${collection.id}/assets`, {
          asset_ids: [source.id, ...outputs],
        });
        await api(alice.token, 'DELETE', `/api/content-assets/${spare.id}`);
        // The social outputs' thumbnails are made after the answer; wait for a quiet database.
        await expect
          .poll(
            async () =>
              (
                await t.ctx.db.kysely
                  .selectFrom('assets')
                  .select('id')
                  .where('thumbhash', 'is', null)
                  .execute()
              ).length,
            { timeout: 20_000 },
          )
          .toBe(0);

        // Carol keeps uploading through the backup; her rows are the moving part.
        const ledgerBefore = (await api(alice.token, 'GET', '/api/credits/history?page_size=200')).json<{
          items: unknown[];
        }>();
        expect(ledgerBefore.items.length).toBeGreaterThanOrEqual(3);
        const fileBefore = (await api(alice.token, 'GET', `/api/content-assets/${source.id}/file`))
          .rawPayload;

        const notCarol = (_table: string, row: Record<string, unknown>) => row.user_id !== carol.userId;
        // The background analysis of the others' images writes its rows within seconds of their save.
        await t.ctx.analysisWorker.idle();
        const before = await tableRows(t.ctx.db.kysely, notCarol);

        let uploading = true;
        let carolUploads = 0;
        const writer = (async () => {
          for (let i = 0; uploading; i++) {
            await upload(carol.token, await makePng(48 + Math.floor(i / 200), 40, i), `carol ${i}`);
            carolUploads++;
          }
        })();
        const backup = await cli('backup', backupDir, env).finally(() => {
          uploading = false;
        });
        await writer;
        expect(backup.stdout).toMatch(/Backed up/);
        expect(carolUploads).toBeGreaterThan(0);
        const manifest = manifestSchema.parse(
          JSON.parse(fs.readFileSync(path.join(backupDir, 'manifest.json'), 'utf8')),
        );
        expect(manifest).toMatchObject({ dialect, storage, missing_blobs: [], secret_key: true });
        const secret = fs.readFileSync(path.join(dataDir, 'secret.key'), 'utf8');
        await t.close();

        // The disaster: the data dir is gone, and so is the database (PostgreSQL: a new database
        // and an empty bucket on a new machine).
        fs.rmSync(dataDir, { recursive: true, force: true });
        const restoredEnv = { ...env };
        if (dialect === 'postgres') {
          await dropDatabase(env.DATABASE_URL ?? '');
          restoredEnv.DATABASE_URL = await createPgDatabase();
          restoredEnv.S3_BUCKET = (await createS3Bucket()).bucket;
        }
        const restored = await cli('restore', backupDir, restoredEnv);
        expect(restored.stdout).toMatch(/Restored/);
        expect(fs.readFileSync(path.join(dataDir, 'secret.key'), 'utf8')).toBe(secret);

        t = await startTestApp({ reuse: { dataDir, env: restoredEnv } });
        expect(await tableRows(t.ctx.db.kysely, notCarol)).toEqual(before);

        // Carol's rows are those the snapshot's instant had, each with its blob.
        const carolAssets = await t.ctx.db.kysely
          .selectFrom('assets')
          .selectAll()
          .where('user_id', '=', carol.userId)
          .execute();
        expect(carolAssets.length).toBeGreaterThan(0);
        expect(carolAssets.length).toBeLessThanOrEqual(carolUploads);
        const keys = await new SnapshotRepository(t.ctx.db.kysely).blobKeys();
        expect(keys.length).toBe(manifest.blobs.length);
        for (const key of keys) {
          expect(sha256Hex(await t.ctx.blobs.get(key))).toBe(key);
        }

        // What the users see: sign-in, ledger, lineage, collection, trash, search, bytes, keys.
        const login = await t.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { email: 'alice@example.com', password: 'alice password 1' },
        });
        expect(login.statusCode).toBe(200);
        const ledgerAfter = (await api(alice.token, 'GET', '/api/credits/history?page_size=200')).json<{
          items: unknown[];
        }>();
        expect(ledgerAfter.items).toEqual(ledgerBefore.items);
        const lineage = (await api(alice.token, 'GET', `/api/content-assets/${outputs[0]}/lineage`)).json<{
          ancestors: Array<{ id: number }>;
        }>();
        expect(lineage.ancestors.map((a) => a.id)).toEqual([source.id]);
        const inCollection = (
          await api(alice.token, 'GET', `/api/content-assets/collections/${collection.id}/assets`)
        ).json<{ assets: Array<{ id: number }> }>();
        expect(inCollection.assets.map((a) => a.id).sort()).toEqual([source.id, ...outputs].sort());
        const trash = (await api(alice.token, 'GET', '/api/content-assets?trashed=true')).json<{
          assets: Array<{ id: number }>;
        }>();
        expect(trash.assets.map((a) => a.id)).toEqual([spare.id]);
        const found = (await api(alice.token, 'GET', '/api/content-assets?search=lighthouse')).json<{
          assets: Array<{ id: number }>;
        }>();
        expect(found.assets.map((a) => a.id)).toContain(source.id);
        const fileAfter = (await api(alice.token, 'GET', `/api/content-assets/${source.id}/file`)).rawPayload;
        expect(fileAfter.equals(fileBefore)).toBe(true);
        expect(await t.ctx.providerKeys.userKeys(alice.userId)).toEqual({
          stability: 'sk-alice-own-key-1234',
        });

        // A second restore into the now-populated target is refused before it writes anything.
        const inUse = await tableRows(t.ctx.db.kysely);
        await expect(restoreBackup(t.ctx.config, backupDir)).rejects.toMatchObject({
          code: 'restore_target_not_empty',
        });
        expect(await tableRows(t.ctx.db.kysely)).toEqual(inUse);
      } finally {
        await t.close();
        fs.rmSync(backupDir, { recursive: true, force: true });
      }
    },
    120_000,
  );
});

describe('refusals', () => {
  it('a folder without a manifest is not a backup', async () => {
    const t = await startTestApp();
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-nobackup-'));
    try {
      await expect(restoreBackup(t.ctx.config, empty)).rejects.toMatchObject({ code: 'backup_incomplete' });
      const { stderr } = await cli('restore', empty, t.env).catch((e: { stderr: string }) => e);
      expect(stderr).toMatch(/Restore failed: .*has no manifest\.json/);
    } finally {
      await t.close();
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe('a blob already gone from storage', () => {
  it('is listed in the manifest instead of failing the backup, and the rest restores', async () => {
    let t = await startTestApp();
    const backupDir = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-backup-'));
    try {
      const admin = await setupAdmin(t.app);
      const upload = async (seed: number) => {
        const res = await t.app.inject({
          method: 'POST',
          url: '/api/content-assets/upload',
          headers: bearer(admin.token),
          payload: { image_base64: (await makePng(40, 30, seed)).toString('base64') },
        });
        expect(res.statusCode, res.body).toBe(201);
        return res.json<Asset>();
      };
      const kept = await upload(1);
      const lost = await upload(2);
      await t.ctx.blobs.delete(lost.sha256);

      const manifest = await createBackup(t.ctx.config, backupDir);
      expect(manifest.missing_blobs).toEqual([lost.sha256]);
      expect(manifest.blobs.map((b) => b.sha256)).toContain(kept.sha256);
      const { dataDir, env } = t;
      await t.close();
      fs.rmSync(dataDir, { recursive: true, force: true });

      await restoreBackup(loadConfig(env), backupDir);
      t = await startTestApp({ reuse: { dataDir, env } });
      const file = await t.app.inject({
        url: `/api/content-assets/${kept.id}/file`,
        headers: bearer(admin.token),
      });
      expect(file.statusCode).toBe(200);
      expect(sha256Hex(file.rawPayload)).toBe(kept.sha256);
      expect(await t.ctx.blobs.has(lost.sha256)).toBe(false);
    } finally {
      await t.close();
      fs.rmSync(backupDir, { recursive: true, force: true });
    }
  });
});

describe('restore refuses before it writes anything', () => {
  const manifestOf = (over: Partial<Manifest>): Manifest => ({
    format: 'image-studio-backup',
    version: 1,
    created_at: new Date().toISOString(),
    dialect: 'sqlite',
    storage: 'fs',
    database_file: 'studio.db',
    migrations: ['001-foundation'],
    blobs: [],
    missing_blobs: [],
    secret_key: false,
    ...over,
  });
  it.each([
    [
      'a snapshot from a newer version',
      { migrations: ['001-foundation', '999-from-the-future'] },
      'restore_newer_schema',
    ],
    ['a snapshot of the other database kind', { dialect: 'postgres' as const }, 'restore_dialect_mismatch'],
  ])('%s', async (_name, over, code) => {
    const backupDir = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-fake-backup-'));
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-restore-'));
    try {
      await writeManifest(backupDir, manifestOf(over));
      await expect(restoreBackup(loadConfig({ DATA_DIR: dataDir }), backupDir)).rejects.toMatchObject({
        code,
      });
      expect(fs.readdirSync(dataDir)).toEqual([]);
    } finally {
      fs.rmSync(backupDir, { recursive: true, force: true });
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

async function dropDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  const admin = new pg.Client({ connectionString: url.replace(/\/[^/]*$/, '/postgres') });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
