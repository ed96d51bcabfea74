import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { blobIntegrity } from '../../../../test/support/blob-integrity.ts';
import { freePort } from '../../../../test/support/server-process.ts';
import { openDatabase } from '../db/database.ts';
import { sha256Hex } from '../storage/blob-store.ts';
import { FsBlobStore } from '../storage/fs-blob-store.ts';

/**
 * The real server (`main.ts`), killed with SIGKILL in the middle of a job that has already saved
 * some of its images, then started again on the same data folder.
 */
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-crash-'));
const blobRoot = path.join(dataDir, 'blobs');
let server: ChildProcess | undefined;

async function startServer(port: number): Promise<string> {
  server = spawn(process.execPath, ['--import', 'tsx', path.resolve('apps/server/src/main.ts')], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      WEB_DIST_DIR: path.join(dataDir, 'no-web'),
      ORPHAN_BLOB_GRACE_MINUTES: '60',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${base}/api/image-studio/health`)).ok) {
        return base;
      }
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error('server did not become healthy');
}

/** A blob file written straight into the store, as a write the crash cut off after its rename. */
function plantBlob(ageMinutes: number): string {
  const bytes = randomBytes(64);
  const sha = sha256Hex(bytes);
  const dir = path.join(blobRoot, sha.slice(0, 2), sha.slice(2, 4));
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, sha);
  fs.writeFileSync(file, bytes);
  const when = new Date(Date.now() - ageMinutes * 60_000);
  fs.utimesSync(file, when, when);
  return file;
}

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

afterAll(() => {
  server?.kill('SIGKILL');
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('server killed mid-job', () => {
  it('on restart: the job failed, none running, the ledger balances, every row has its blobs, old orphans are swept', async () => {
    const port = await freePort();
    const base = await startServer(port);
    const setup = await fetch(`${base}/api/auth/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@example.com', password: 'correct horse 1' }),
    });
    const cookie = (setup.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const tokenRes = await fetch(`${base}/api/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, origin: base },
      body: JSON.stringify({ name: 'crash' }),
    });
    const { token } = (await tokenRes.json()) as { token: string };
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const balanceBefore = (
      (await (await fetch(`${base}/api/credits`, { headers: auth })).json()) as { balance: number }
    ).balance;

    const queued = await fetch(`${base}/api/image-studio/create`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({
        prompt: 'A long job',
        provider: 'local',
        num_variations: 10,
        width: 2560,
        height: 1440,
        async: true,
      }),
    });
    const { job_id } = (await queued.json()) as { job_id: string };
    // Killed once the first images are saved, so the crash lands between saves of the same job.
    const deadline = Date.now() + 60_000;
    let job = { status: 'queued', progress: 0 };
    while (!(job.status === 'running' && job.progress >= 10) && Date.now() < deadline) {
      job = (await (await fetch(`${base}/api/jobs/${job_id}`, { headers: auth })).json()) as typeof job;
      if (job.status !== 'queued' && job.status !== 'running') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(job.status).toBe('running');
    server?.kill('SIGKILL');
    await new Promise((r) => server?.once('exit', r));

    const oldOrphan = plantBlob(120);
    const youngOrphan = plantBlob(5);
    const oldTemp = path.join(blobRoot, '.tmp-5555aaaa5555aaaa');
    fs.writeFileSync(oldTemp, 'cut off mid-write');
    const longAgo = new Date(Date.now() - 120 * 60_000);
    fs.utimesSync(oldTemp, longAgo, longAgo);

    const again = await startServer(port);
    const after = (await (await fetch(`${again}/api/jobs/${job_id}`, { headers: auth })).json()) as {
      status: string;
      error: { code: string } | null;
    };
    expect(after.status).toBe('failed');
    expect(after.error?.code).toBe('interrupted');
    const credits = (await (await fetch(`${again}/api/credits`, { headers: auth })).json()) as {
      balance: number;
      reserved: number;
    };
    expect(credits).toMatchObject({ balance: balanceBefore, reserved: 0 });

    await until(() => !fs.existsSync(oldOrphan) && !fs.existsSync(oldTemp), 'the start-up orphan sweep');
    expect(fs.existsSync(youngOrphan)).toBe(true);

    const db = openDatabase({ sqlitePath: path.join(dataDir, 'studio.db') });
    try {
      const running = await db.kysely
        .selectFrom('jobs')
        .select('id')
        .where('status', '=', 'running')
        .execute();
      expect(running).toEqual([]);
      const ledger = await sql<{ user_id: number; total: number; balance: number }>`
        SELECT a.user_id, a.balance, COALESCE(SUM(l.amount), 0) AS total
        FROM credit_accounts a LEFT JOIN credit_ledger l ON l.user_id = a.user_id
        GROUP BY a.user_id, a.balance`.execute(db.kysely);
      for (const account of ledger.rows) expect(Number(account.total)).toBe(Number(account.balance));
      const held = await sql<{ n: number }>`
        SELECT COUNT(*) AS n FROM credit_reservations WHERE status = 'reserved'`.execute(db.kysely);
      expect(Number(held.rows[0]?.n)).toBe(0);
      const saved = await db.kysely.selectFrom('assets').select('id').execute();
      expect(saved.length).toBeGreaterThan(0);
      const integrity = await blobIntegrity(db.kysely, new FsBlobStore(blobRoot));
      expect(integrity.missing).toEqual([]);
      // What the crash itself left unreferenced is younger than the grace period and stays for now.
      expect(integrity.orphans).not.toContain(path.basename(oldOrphan));
    } finally {
      await db.close();
    }
    server?.kill('SIGTERM');
  });
});
