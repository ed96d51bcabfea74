import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { AppError } from '../errors.ts';

const run = promisify(execFile);
const PG_LIB = '/usr/lib/postgresql';

/**
 * `pg_dump` / `pg_restore` from the newest PostgreSQL under /usr/lib/postgresql (Debian installs
 * each major version there; a newer pg_dump reads older servers, not the other way round), else PATH.
 */
export function findPgTool(name: 'pg_dump' | 'pg_restore'): string {
  const versions = fs.existsSync(PG_LIB)
    ? fs
        .readdirSync(PG_LIB)
        .filter((v) => /^\d+$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const dirs = [...versions.map((v) => path.join(PG_LIB, v, 'bin')), ...(process.env.PATH ?? '').split(':')];
  for (const dir of dirs) {
    const candidate = path.join(dir, name);
    if (dir && fs.existsSync(candidate)) {
      return candidate;
    }
  }
  throw new AppError(
    500,
    'backup_tool_missing',
    `${name} not found under ${PG_LIB}/*/bin or on PATH; install the PostgreSQL client.`,
  );
}

/**
 * Dumps the database as it was when `snapshot` (from pg_export_snapshot) was taken, in the custom
 * format pg_restore reads. The caller keeps the exporting transaction open until this returns.
 */
export async function pgDump(databaseUrl: string, snapshot: string, file: string): Promise<void> {
  await runTool('pg_dump', [
    '--format=custom',
    '--no-owner',
    '--no-acl',
    `--snapshot=${snapshot}`,
    `--file=${file}`,
    `--dbname=${databaseUrl}`,
  ]);
}

/** Restores a dump into an empty database; stops at the first error instead of half-restoring. */
export async function pgRestore(databaseUrl: string, file: string): Promise<void> {
  await runTool('pg_restore', [
    '--no-owner',
    '--no-acl',
    '--exit-on-error',
    '--single-transaction',
    `--dbname=${databaseUrl}`,
    file,
  ]);
}

async function runTool(name: 'pg_dump' | 'pg_restore', args: string[]): Promise<void> {
  try {
    await run(findPgTool(name), args, { maxBuffer: 16 * 1024 * 1024 });
  } catch (e) {
    // Not e.message: it repeats the command line, and with it the database password.
    const stderr = e instanceof Error && 'stderr' in e ? String(e.stderr).trim() : '';
    const code = e instanceof Error && 'code' in e ? String(e.code) : 'unknown';
    throw new AppError(500, 'backup_tool_failed', `${name} failed: ${stderr || `exit code ${code}`}`);
  }
}
