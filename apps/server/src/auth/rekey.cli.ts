import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config.ts';
import { rekey } from './rekey.ts';

/**
 * `OLD_APP_SECRET=<previous> npm run rekey`: after changing APP_SECRET, re-encrypts users' provider
 * keys under it. Without OLD_APP_SECRET the previous secret is the generated DATA_DIR/secret.key.
 */
try {
  const config = loadConfig();
  const old = process.env.OLD_APP_SECRET
    ? Buffer.from(process.env.OLD_APP_SECRET, 'utf8')
    : Buffer.from(fs.readFileSync(path.join(config.dataDir, 'secret.key'), 'utf8').trim(), 'base64');
  const count = await rekey(config, old);
  process.stdout.write(`Re-encrypted ${count} provider keys under the new secret.\n`);
  process.exit(0);
} catch (e) {
  const message = e instanceof Error ? e.message : String(e);
  process.stderr.write(`Re-key failed: ${message}\n`);
  process.exit(1);
}
