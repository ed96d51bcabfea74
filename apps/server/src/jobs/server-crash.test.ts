import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/** The real server (`main.ts`), killed with SIGKILL in the middle of a job, then started again. */
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-crash-'));
let server: ChildProcess | undefined;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function startServer(port: number): Promise<string> {
  server = spawn(process.execPath, ['--import', 'tsx', path.resolve('apps/server/src/main.ts')], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      WEB_DIST_DIR: path.join(dataDir, 'no-web'),
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

afterAll(() => {
  server?.kill('SIGKILL');
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('server killed mid-job', () => {
  it('fails the interrupted job on restart, leaves none running and refunds its credits', async () => {
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
    const deadline = Date.now() + 30_000;
    let status = 'queued';
    while (status !== 'running' && Date.now() < deadline) {
      status = (
        (await (await fetch(`${base}/api/jobs/${job_id}`, { headers: auth })).json()) as { status: string }
      ).status;
    }
    expect(status).toBe('running');
    server?.kill('SIGKILL');
    await new Promise((r) => server?.once('exit', r));

    const again = await startServer(port);
    const job = (await (await fetch(`${again}/api/jobs/${job_id}`, { headers: auth })).json()) as {
      status: string;
      error: { code: string } | null;
    };
    expect(job.status).toBe('failed');
    expect(job.error?.code).toBe('interrupted');
    const credits = (await (await fetch(`${again}/api/credits`, { headers: auth })).json()) as {
      balance: number;
    };
    expect(credits.balance).toBe(balanceBefore);
    server?.kill('SIGTERM');
  });
});
