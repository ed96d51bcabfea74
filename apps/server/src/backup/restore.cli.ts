import path from 'node:path';
import { loadConfig } from '../config.ts';
import { restoreBackup } from './restore.ts';

/** `npm run restore <dir>`: brings a snapshot back into the (empty) place the environment configures. */
const arg = process.argv[2];
if (!arg) {
  process.stderr.write('Usage: npm run restore <backup folder>\n');
  process.exit(2);
}
const dir = path.resolve(arg);

try {
  const manifest = await restoreBackup(loadConfig(), dir);
  process.stdout.write(
    `Restored the ${manifest.dialect} database of ${manifest.created_at} and ${manifest.blobs.length} blobs from ${dir}\n`,
  );
  process.exit(0);
} catch (e) {
  process.stderr.write(`Restore failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}
