import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';

/** The file context.ts opens under DATA_DIR when no DATABASE_URL is set. */
export const sqlitePathOf = (dataDir: string) => path.join(dataDir, 'studio.db');

/**
 * Copies a live SQLite database with SQLite's online backup API, from a connection of its own. All
 * pages go in one step: the copy is then one read transaction (in WAL mode writers carry on), where
 * small steps would restart from scratch each time the running server commits in between.
 */
export async function snapshotSqlite(livePath: string, target: string): Promise<void> {
  const live = new SqliteDatabase(livePath, { readonly: true, fileMustExist: true });
  try {
    await live.backup(target, { progress: () => 0x7fffffff });
  } finally {
    live.close();
  }
}

/** Puts a snapshot in place whole: copied beside the target, then renamed over nothing. */
export async function installSqlite(snapshot: string, target: string): Promise<void> {
  await fsp.mkdir(path.dirname(target), { recursive: true });
  for (const leftover of [`${target}-wal`, `${target}-shm`, target]) {
    await fsp.rm(leftover, { force: true });
  }
  const tmp = `${target}.restore-tmp`;
  await fsp.copyFile(snapshot, tmp);
  const handle = await fsp.open(tmp, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fsp.rename(tmp, target);
}

export const fileExists = (file: string) => fs.existsSync(file);
