import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createPgDatabase, hasPostgres, hasRedis, services } from '../../../../test/support/backends.ts';
import {
  freePort,
  type RunningServer,
  signInAdmin,
  startServer,
} from '../../../../test/support/server-process.ts';

/**
 * The real server process (`main.ts`) while Redis or PostgreSQL goes away under a running job: it
 * must keep answering (a crash would show as a dead process and refused connections), log what
 * broke, and finish its jobs once the service is back.
 */

type Auth = Record<string, string>;

/** A job of the offline `local` provider that runs for a while (no network, no keys). */
async function submitLongJob(server: RunningServer, auth: Auth): Promise<string> {
  const res = await fetch(`${server.baseUrl}/api/image-studio/create`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify({
      prompt: 'A long job',
      provider: 'local',
      num_variations: 6,
      width: 1920,
      height: 1080,
      async: true,
    }),
  });
  expect(res.status, await res.clone().text()).toBeLessThan(300);
  return ((await res.json()) as { job_id: string }).job_id;
}

async function jobStatus(server: RunningServer, auth: Auth, id: string): Promise<string> {
  const res = await fetch(`${server.baseUrl}/api/jobs/${id}`, { headers: auth, signal: ANSWER_WITHIN() });
  return res.ok ? ((await res.json()) as { status: string }).status : `http ${res.status}`;
}

async function until(condition: () => Promise<boolean> | boolean, what: string, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const TERMINAL = new Set(['succeeded', 'failed', 'canceled']);
/** A server that holds a request instead of answering fails the test at that request, not at its timeout. */
const ANSWER_WITHIN = () => AbortSignal.timeout(15_000);

function isAlive(server: RunningServer): boolean {
  try {
    return process.kill(server.pid, 0);
  } catch {
    return false;
  }
}

/** Alive and answering: the process exists, and requests that need only the database succeed. */
async function expectAnswering(server: RunningServer, auth: Auth): Promise<void> {
  expect(isAlive(server), server.output()).toBe(true);
  const health = await fetch(`${server.baseUrl}/api/image-studio/health`, { signal: ANSWER_WITHIN() });
  expect(health.status).toBeLessThan(600);
  const list = await fetch(`${server.baseUrl}/api/content-assets`, {
    headers: auth,
    signal: ANSWER_WITHIN(),
  });
  expect(list.status, server.output()).toBe(200);
}

/** A Redis of this test's own on a fixed port, so it can be killed and started again. */
function startOwnRedis(port: number, dir: string): ChildProcess {
  return spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    { stdio: 'ignore' },
  );
}

async function redisAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.end();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

/** One command in Redis's wire format; resolves with the first reply. */
async function redisCommand(port: number, ...args: string[]): Promise<string> {
  const encoded = `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`;
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(encoded));
    socket.once('data', (reply) => {
      socket.end();
      resolve(reply.toString());
    });
    socket.on('error', reject);
  });
}

describe.runIf(hasRedis())('Redis goes away under a running BullMQ job', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-redis-outage-'));
  let redis: ChildProcess | undefined;
  let server: RunningServer | undefined;

  afterAll(async () => {
    await server?.stop();
    redis?.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('keeps answering while Redis is down, and works jobs again once it is back', async () => {
    const port = await freePort();
    redis = startOwnRedis(port, dir);
    await until(() => redisAnswers(port), 'the test Redis listens');
    server = await startServer(
      { WEB_DIST_DIR: '/nonexistent', REDIS_URL: `redis://127.0.0.1:${port}`, REDIS_PREFIX: 'outage' },
      { web: false },
    );
    const running = server;
    const auth = { ...(await signInAdmin(running)), 'content-type': 'application/json' };
    // Anyone who can reach Redis can publish on the events channel.
    expect(await redisCommand(port, 'PUBLISH', 'outage:job-events', '{not-json')).toBe(':1\r\n');
    expect(await redisCommand(port, 'PUBLISH', 'outage:job-events', '{"id":1}')).toBe(':1\r\n');
    await until(
      () => running.output().split('ignored a malformed message').length === 3 || !isAlive(running),
      'the server hears both messages',
    );
    await expectAnswering(running, auth);

    const job = await submitLongJob(running, auth);
    await until(async () => (await jobStatus(running, auth, job)) === 'running', 'the job runs');

    const exited = new Promise((r) => redis?.once('exit', r));
    redis.kill('SIGKILL');
    await exited;
    await until(
      () => running.output().includes('ECONNREFUSED') || !isAlive(running),
      'the server notices Redis is gone',
    );
    await expectAnswering(running, auth);

    redis = startOwnRedis(port, dir);
    await until(() => redisAnswers(port), 'the test Redis listens again');
    await until(async () => TERMINAL.has(await jobStatus(running, auth, job)), 'the first job ends');
    const next = await submitLongJob(running, auth);
    await until(async () => (await jobStatus(running, auth, next)) === 'succeeded', 'a new job succeeds');
    await expectAnswering(running, auth);
  });
});

describe.runIf(hasPostgres())('PostgreSQL drops the connections under a running job', () => {
  let server: RunningServer | undefined;

  afterAll(async () => {
    await server?.stop();
  });

  it('keeps answering, logs the lost connections, and the job still ends', async () => {
    const databaseUrl = await createPgDatabase();
    const database = new URL(databaseUrl).pathname.slice(1);
    server = await startServer({ WEB_DIST_DIR: '/nonexistent', DATABASE_URL: databaseUrl }, { web: false });
    const running = server;
    const auth = { ...(await signInAdmin(running)), 'content-type': 'application/json' };
    const job = await submitLongJob(running, auth);
    await until(async () => (await jobStatus(running, auth, job)) === 'running', 'the job runs');

    // What a PostgreSQL restart or an administrator does to every connection of the server.
    const admin = new pg.Client({ connectionString: services().pgUrl });
    await admin.connect();
    try {
      const killed = await admin.query(
        'SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
        [database],
      );
      expect(killed.rowCount).toBeGreaterThan(0);
    } finally {
      await admin.end();
    }
    await until(
      () => running.output().includes('terminating connection due to administrator') || !isAlive(running),
      'the server notices its connections are gone',
    );
    await expectAnswering(running, auth);
    expect(running.output()).toContain('database connection lost');
    await until(async () => TERMINAL.has(await jobStatus(running, auth, job)), 'the job ends');
    await expectAnswering(running, auth);
  }, 120_000);
});
