import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StabilityFake } from '../../../../test/fakes/stability.ts';
import { blobIntegrity } from '../../../../test/support/blob-integrity.ts';
import { FaultyBlobStore } from '../../../../test/support/faulty-blob-store.ts';
import { bearer, setupAdmin, startTestApp, type TestApp } from '../../../../test/support/test-app.ts';

/**
 * SQLite shared with another process (a BullMQ worker, a backup) that holds the write lock while a
 * job saves its image. Shorter than the busy timeout, the job waits and succeeds; longer, it fails,
 * and either way the ledger balances and no blob or row is left half-made.
 */
const HOLD_LOCK = `
const Database = require('better-sqlite3');
const db = new Database(process.argv[1]);
db.exec('BEGIN IMMEDIATE');
process.stdout.write('locked\\n');
setTimeout(() => { db.exec('COMMIT'); db.close(); }, Number(process.argv[2]));
`;

/** Another process takes the database's write lock for `ms`; resolves once it holds it. */
async function lockDatabase(file: string, ms: number) {
  const child = spawn(process.execPath, ['-e', HOLD_LOCK, file, String(ms)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise((r) => child.once('exit', r));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('locked')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`lock holder exited with ${code}`)));
  });
  return { exited };
}

describe('a busy SQLite database while a job saves', () => {
  const stability = new StabilityFake();
  let t: TestApp;
  let store: FaultyBlobStore;
  let token: string;

  beforeAll(async () => {
    await stability.start();
    t = await startTestApp({
      env: { STABILITY_API_KEY: 'sk-test', STABILITY_BASE_URL: stability.baseUrl },
      providerClient: {
        retry: { baseDelayMs: 1, maxDelayMs: 5, maxAttempts: 3, maxRetryAfterMs: 5000 },
        breaker: { failureThreshold: 1000, cooldownMs: 1000 },
      },
      wrapBlobs: (inner) => {
        store = new FaultyBlobStore(inner);
        return store;
      },
    });
    const admin = await setupAdmin(t.app);
    token = admin.token;
    await t.app.inject({
      method: 'POST',
      url: `/api/admin/users/${admin.userId}/credits`,
      headers: bearer(token),
      payload: { amount: 1000, reason: 'tests' },
    });
  });
  afterAll(async () => {
    await t?.close();
    await stability.stop();
  });

  const credits = async () =>
    (await t.app.inject({ url: '/api/credits', headers: bearer(token) })).json<{
      balance: number;
      reserved: number;
    }>();

  /** Runs a create job whose save meets the database locked by another process for `ms`. */
  async function createWhileLocked(ms: number) {
    const saving = store.pauseNext('put');
    const queued = await t.app.inject({
      method: 'POST',
      url: '/api/image-studio/create',
      headers: bearer(token),
      payload: {
        prompt: 'a harbour',
        provider: 'stability',
        model: 'core',
        width: 512,
        height: 512,
        async: true,
      },
    });
    expect(queued.statusCode).toBe(202);
    const { job_id } = queued.json<{ job_id: string }>();
    await saving.reached;
    const lock = await lockDatabase(path.join(t.dataDir, 'studio.db'), ms);
    saving.release();
    await lock.exited;
    const deadline = Date.now() + 30_000;
    for (;;) {
      const job = (await t.app.inject({ url: `/api/jobs/${job_id}`, headers: bearer(token) })).json<{
        status: string;
        error: { code: string } | null;
        result: { results: Array<{ asset_id: number; cost_credits: number }> } | null;
      }>();
      if (!['queued', 'running'].includes(job.status) || Date.now() > deadline) return job;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('locked for less than the busy timeout: the job waits, saves and is charged once', async () => {
    const before = await credits();
    const job = await createWhileLocked(1500);
    expect(job.status, JSON.stringify(job.error)).toBe('succeeded');
    const cost = job.result?.results[0]?.cost_credits ?? 0;
    expect(cost).toBeGreaterThan(0);
    expect(await credits()).toMatchObject({ balance: before.balance - cost, reserved: 0 });
    const file = await t.app.inject({
      url: `/api/content-assets/${job.result?.results[0]?.asset_id}/file`,
      headers: bearer(token),
    });
    expect(file.statusCode).toBe(200);
    expect(await blobIntegrity(t.ctx.db.kysely, t.ctx.blobs)).toEqual({ missing: [], orphans: [] });
  });

  it('locked past the busy timeout: the job fails, nothing is charged, the stored image is released', async () => {
    const before = await credits();
    const rows = await t.ctx.db.kysely.selectFrom('assets').select('id').execute();
    // Well past the 5 s busy timeout, so the save fails even if making thumbnails took a while.
    const job = await createWhileLocked(9000);
    expect(job.status).toBe('failed');
    expect(job.error?.code).toBe('database_busy');
    expect(await credits()).toMatchObject({ balance: before.balance, reserved: 0 });
    expect(await t.ctx.db.kysely.selectFrom('assets').select('id').execute()).toEqual(rows);
    expect(await blobIntegrity(t.ctx.db.kysely, t.ctx.blobs)).toEqual({ missing: [], orphans: [] });
  }, 60_000);
});
