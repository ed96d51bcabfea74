import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../support/server-process.ts';

/**
 * Starts the real servers the integration tests run against, on loopback, in a throwaway folder:
 * a PostgreSQL cluster (initdb), Redis and an S3-compatible server (s3rver). Under CI=true a server
 * that cannot start fails the run; on a developer machine the suites that need it are skipped.
 */
export interface TestServices {
  pgUrl?: string;
  redisUrl?: string;
  s3Endpoint?: string;
  problems: string[];
}

const PG_BIN_DIRS = [
  '/usr/lib/postgresql/15/bin',
  '/usr/lib/postgresql/16/bin',
  '/usr/lib/postgresql/17/bin',
];

function findBinary(name: string, dirs: string[] = []): string | undefined {
  for (const dir of [...dirs, ...(process.env.PATH ?? '').split(':')]) {
    const candidate = path.join(dir, name);
    if (fs.existsSync(candidate)) {
      return candidate;
    }
  }
  return undefined;
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (ok) {
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nothing listened on port ${port} within ${timeoutMs} ms`);
}

/** PostgreSQL refuses to run as root, so as root the cluster belongs to the `postgres` user. */
function asPostgresUser(bin: string, args: string[]): void {
  const isRoot = process.getuid?.() === 0;
  if (isRoot) {
    execFileSync('runuser', ['-u', 'postgres', '--', bin, ...args], { stdio: 'pipe' });
  } else {
    execFileSync(bin, args, { stdio: 'pipe' });
  }
}

export async function startPostgres(root: string): Promise<{ url: string; stop: () => void }> {
  const initdb = findBinary('initdb', PG_BIN_DIRS);
  const pgCtl = findBinary('pg_ctl', PG_BIN_DIRS);
  if (!initdb || !pgCtl) {
    throw new Error('PostgreSQL is not installed (initdb/pg_ctl not found); apt-get install postgresql');
  }
  const dir = path.join(root, 'pg');
  fs.mkdirSync(dir, { recursive: true });
  if (process.getuid?.() === 0) {
    execFileSync('chown', ['-R', 'postgres', root]);
  }
  const port = await freePort();
  asPostgresUser(initdb, ['-D', path.join(dir, 'data'), '-U', 'postgres', '--auth=trust', '-E', 'UTF8']);
  asPostgresUser(pgCtl, [
    '-D',
    path.join(dir, 'data'),
    '-l',
    path.join(dir, 'pg.log'),
    '-w',
    'start',
    '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300`,
  ]);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: () => asPostgresUser(pgCtl, ['-D', path.join(dir, 'data'), '-m', 'immediate', 'stop']),
  };
}

export async function startRedis(root: string): Promise<{ url: string; stop: () => void }> {
  const bin = findBinary('redis-server');
  if (!bin) {
    throw new Error('Redis is not installed (redis-server not found); apt-get install redis-server');
  }
  const port = await freePort();
  const child: ChildProcess = spawn(
    bin,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', root],
    { stdio: 'ignore' },
  );
  await waitForPort(port, 10_000);
  return { url: `redis://127.0.0.1:${port}`, stop: () => child.kill('SIGTERM') };
}

export async function startS3(root: string): Promise<{ endpoint: string; stop: () => Promise<void> }> {
  const { default: S3rver } = await import('s3rver');
  const dir = path.join(root, 's3');
  fs.mkdirSync(dir, { recursive: true });
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: dir });
  const address = await server.run();
  return { endpoint: `http://127.0.0.1:${address.port}`, stop: () => server.close() };
}

export function makeTempRoot(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'studio-test-'));
}
