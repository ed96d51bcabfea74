import path from 'node:path';
import { loadConfig } from '../config.ts';
import { createBackup } from './backup.ts';

/** `npm run backup [dir]`: a snapshot of the studio configured by the environment (see README). */
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const dir = path.resolve(process.argv[2] ?? path.join('backups', stamp));

try {
  const manifest = await createBackup(loadConfig(), dir);
  process.stdout.write(
    `Backed up ${manifest.dialect} database and ${manifest.blobs.length} blobs to ${dir}\n`,
  );
  if (manifest.missing_blobs.length > 0) {
    process.stdout.write(
      `${manifest.missing_blobs.length} referenced blobs were already gone from storage (listed in manifest.json)\n`,
    );
  }
  process.exit(0);
} catch (e) {
  process.stderr.write(`Backup failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}
