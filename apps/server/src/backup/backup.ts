import fsp from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import { z } from 'zod';
import type { Config } from '../config.ts';
import { openDatabase } from '../db/database.ts';
import { AppError } from '../errors.ts';
import { FsBlobStore } from '../storage/fs-blob-store.ts';
import { createBlobStore } from '../storage/index.ts';
import { copyBlobs } from './blob-copy.ts';
import { BLOBS_DIR, type Manifest, SECRET_FILE, writeManifest } from './manifest.ts';
import { pgDump } from './postgres-tools.ts';
import { SnapshotRepository } from './snapshot.repository.ts';
import { snapshotSqlite, sqlitePathOf } from './sqlite-snapshot.ts';

interface DatabaseSnapshot {
  file: string;
  blobKeys: string[];
  migrations: string[];
}

/**
 * Writes a consistent snapshot of the running studio into `dir` (created; must be empty): the
 * database as of one instant, every blob its rows reference, the generated secret when there is
 * one, and `manifest.json` last. Blobs are content-addressed and never rewritten, so copying them
 * after the database instant is consistent: rows added since are not in the snapshot, and a blob
 * purged since is recorded under `missing_blobs` (its row was already in the trash).
 */
export async function createBackup(config: Config, dir: string): Promise<Manifest> {
  await prepareEmptyDir(dir);
  const database = config.databaseUrl
    ? await snapshotPostgres(config.databaseUrl, dir)
    : await snapshotSqliteDb(config.dataDir, dir);

  const store = createBlobStore(config);
  const { copied, missing } = await copyBlobs(
    database.blobKeys,
    store,
    new FsBlobStore(path.join(dir, BLOBS_DIR)),
  );
  const secretKey = await copySecret(config, dir);
  const manifest: Manifest = {
    format: 'image-studio-backup',
    version: 1,
    created_at: new Date().toISOString(),
    dialect: config.databaseUrl ? 'postgres' : 'sqlite',
    storage: store.kind,
    database_file: database.file,
    migrations: database.migrations,
    blobs: copied,
    missing_blobs: missing,
    secret_key: secretKey,
  };
  await writeManifest(dir, manifest);
  return manifest;
}

async function prepareEmptyDir(dir: string): Promise<void> {
  // Owner-only: the snapshot holds password hashes and possibly the secret.
  await fsp.mkdir(dir, { recursive: true, mode: 0o700 });
  const entries = await fsp.readdir(dir);
  if (entries.length > 0) {
    throw new AppError(409, 'backup_target_not_empty', `${dir} is not empty; back up into a new folder.`);
  }
}

async function snapshotSqliteDb(dataDir: string, dir: string): Promise<DatabaseSnapshot> {
  const file = 'studio.db';
  const copy = path.join(dir, file);
  await snapshotSqlite(sqlitePathOf(dataDir), copy);
  // Read the copy, not the live file: its references are the snapshot's by construction.
  const db = openDatabase({ sqlitePath: copy });
  try {
    const repo = new SnapshotRepository(db.kysely);
    return { file, blobKeys: await repo.blobKeys(), migrations: await repo.migrations() };
  } finally {
    await db.close();
  }
}

const exportedSnapshot = z.object({ snapshot: z.string() });

/**
 * pg_dump and the blob listing share one exported snapshot: a REPEATABLE READ transaction exports
 * it, pg_dump dumps as of it, and the same transaction lists the blob keys and migrations.
 */
async function snapshotPostgres(databaseUrl: string, dir: string): Promise<DatabaseSnapshot> {
  const file = 'studio.pgdump';
  const db = openDatabase({ databaseUrl, sqlitePath: '' });
  try {
    return await db.kysely
      .transaction()
      .setIsolationLevel('repeatable read')
      .setAccessMode('read only')
      .execute(async (trx) => {
        const exported = await sql`select pg_export_snapshot() as snapshot`.execute(trx);
        const { snapshot } = exportedSnapshot.parse(exported.rows[0]);
        const repo = new SnapshotRepository(trx);
        const blobKeys = await repo.blobKeys();
        const migrations = await repo.migrations();
        await pgDump(databaseUrl, snapshot, path.join(dir, file));
        return { file, blobKeys, migrations };
      });
  } finally {
    await db.close();
  }
}

async function copySecret(config: Config, dir: string): Promise<boolean> {
  if (config.appSecret) {
    return false;
  }
  try {
    await fsp.copyFile(path.join(config.dataDir, SECRET_FILE), path.join(dir, SECRET_FILE));
    await fsp.chmod(path.join(dir, SECRET_FILE), 0o600);
    return true;
  } catch (e) {
    if (e instanceof Error && 'code' in e && e.code === 'ENOENT') {
      return false;
    }
    throw e;
  }
}
