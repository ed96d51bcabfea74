import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');

export interface WorkerProcess {
  child: ChildProcess;
  /** Its METRICS_PORT. */
  metricsUrl: string;
  output: () => string;
  /** SIGKILL: the supervisor's last resort, leaving the worker's jobs to the others' stall check. */
  kill: () => Promise<void>;
  stop: () => Promise<void>;
}

/** A worker (`ROLE=worker`, the same main.ts `npm run serve` starts) with its own empty data folder. */
export function startWorker(env: Record<string, string>, metricsPort: number): WorkerProcess {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-worker-'));
  let log = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/server/src/main.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      ...env,
      DATA_DIR: dataDir,
      ROLE: 'worker',
      METRICS_PORT: String(metricsPort),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const collect = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill(signal);
      await exited;
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  return {
    child,
    metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`,
    output: () => log,
    kill: () => end('SIGKILL'),
    stop: () => end('SIGTERM'),
  };
}

/** Polls until `check` holds; a generous deadline only catches a hang, never a slow machine. */
export async function until(what: string, check: () => Promise<boolean>, timeoutMs = 150_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
