import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config.ts';
import { openDatabase } from './database.ts';

/**
 * `npm run migrate`: brings the configured database to the latest schema and exits, so a deployment
 * can migrate once before rolling out new API and worker processes (they migrate on start too, which
 * is then a no-op; Kysely's migration lock keeps concurrent starts from running one twice).
 */
try {
  const config = loadConfig();
  if (!config.databaseUrl) fs.mkdirSync(config.dataDir, { recursive: true });
  const db = openDatabase({
    databaseUrl: config.databaseUrl,
    sqlitePath: path.join(config.dataDir, 'studio.db'),
  });
  try {
    await db.migrate();
  } finally {
    await db.close();
  }
  process.stdout.write(`The ${db.dialect} database is at the latest schema.\n`);
  process.exit(0);
} catch (e) {
  process.stderr.write(`Migration failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}
