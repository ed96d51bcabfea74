import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config.ts';
import { openDatabase } from '../db/database.ts';
import type { DialectName } from '../db/dialect.ts';
import { migrations as knownMigrations } from '../db/migrations/index.ts';
import { AppError } from '../errors.ts';
import { FsBlobStore } from '../storage/fs-blob-store.ts';
import { createBlobStore } from '../storage/index.ts';
import { copyBlobs } from './blob-copy.ts';
import { BLOBS_DIR, type Manifest, readManifest, SECRET_FILE } from './manifest.ts';
import { pgRestore } from './postgres-tools.ts';
import { SnapshotRepository } from './snapshot.repository.ts';
import { fileExists, installSqlite, sqlitePathOf } from './sqlite-snapshot.ts';

/**
 * Brings a snapshot from `createBackup` back into the configured place: an empty SQLite data dir
 * or PostgreSQL database, and any blob store (keys are content hashes, so a non-empty bucket is
 * fine). Everything that could refuse is checked before anything is written; the blobs go in
 * before the database, so a restore cut short never leaves a row without its blob. The next start
 * migrates the restored database forward if the snapshot came from an older version.
 */
export async function restoreBackup(config: Config, dir: string): Promise<Manifest> {
  const manifest = await readManifest(dir);
  const dialect: DialectName = config.databaseUrl ? 'postgres' : 'sqlite';
  if (manifest.dialect !== dialect) {
    throw new AppError(
      409,
      'restore_dialect_mismatch',
      `This backup is of a ${manifest.dialect} database; the studio is configured for ${dialect}.`,
    );
  }
  const known = Object.keys(knownMigrations(dialect));
  const unknown = manifest.migrations.filter((m) => !known.includes(m));
  if (unknown.length > 0) {
    throw new AppError(
      409,
      'restore_newer_schema',
      `This backup was made by a newer version (migrations ${unknown.join(', ')}); upgrade the studio first.`,
    );
  }
  await assertEmptyDatabase(config);
  await assertSecretFits(config, dir, manifest);

  const keys = manifest.blobs.map((b) => b.sha256);
  const { missing } = await copyBlobs(
    keys,
    new FsBlobStore(path.join(dir, BLOBS_DIR)),
    createBlobStore(config),
  );
  if (missing.length > 0) {
    throw new AppError(
      409,
      'backup_incomplete',
      `The backup lacks ${missing.length} of the blobs its manifest lists (first: ${missing[0]}).`,
    );
  }

  if (manifest.secret_key && !config.appSecret) {
    await fsp.mkdir(config.dataDir, { recursive: true });
    await fsp.copyFile(path.join(dir, SECRET_FILE), path.join(config.dataDir, SECRET_FILE));
    await fsp.chmod(path.join(config.dataDir, SECRET_FILE), 0o600);
  }
  const dump = path.join(dir, manifest.database_file);
  if (config.databaseUrl) {
    await pgRestore(config.databaseUrl, dump);
  } else {
    await installSqlite(dump, sqlitePathOf(config.dataDir));
  }
  return manifest;
}

async function assertEmptyDatabase(config: Config): Promise<void> {
  const sqlitePath = sqlitePathOf(config.dataDir);
  if (!config.databaseUrl && !fileExists(sqlitePath)) {
    return;
  }
  const db = openDatabase({ databaseUrl: config.databaseUrl, sqlitePath });
  try {
    if (!(await new SnapshotRepository(db.kysely).isEmpty())) {
      throw new AppError(
        409,
        'restore_target_not_empty',
        config.databaseUrl
          ? 'The configured PostgreSQL database already has tables; restore into an empty database.'
          : `${sqlitePath} already holds a database; restore into an empty DATA_DIR.`,
      );
    }
  } finally {
    await db.close();
  }
}

/**
 * Users' provider keys are encrypted with the generated secret when APP_SECRET is unset. A data dir
 * that already has a different secret would make every restored key unreadable, so refuse.
 */
async function assertSecretFits(config: Config, dir: string, manifest: Manifest): Promise<void> {
  if (!manifest.secret_key || config.appSecret) {
    return;
  }
  const existing = path.join(config.dataDir, SECRET_FILE);
  if (!fileExists(existing)) {
    return;
  }
  const [mine, theirs] = await Promise.all([
    fsp.readFile(existing, 'utf8'),
    fsp.readFile(path.join(dir, SECRET_FILE), 'utf8'),
  ]);
  if (mine.trim() !== theirs.trim()) {
    throw new AppError(
      409,
      'restore_secret_conflict',
      `${existing} differs from the backup's secret.key; restore into an empty DATA_DIR.`,
    );
  }
}
