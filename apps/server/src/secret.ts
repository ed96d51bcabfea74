import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from './config.ts';

/**
 * The server secret that encrypts users' provider keys: APP_SECRET when set, otherwise one generated
 * on first start and kept in DATA_DIR/secret.key (mode 0600), so `npm start` needs no setup.
 */
export function loadOrCreateSecret(config: Pick<Config, 'appSecret' | 'dataDir'>): Buffer {
  if (config.appSecret) {
    return Buffer.from(config.appSecret, 'utf8');
  }
  const file = path.join(config.dataDir, 'secret.key');
  try {
    return Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
  } catch {
    const secret = randomBytes(32);
    fs.mkdirSync(config.dataDir, { recursive: true });
    fs.writeFileSync(file, secret.toString('base64'), { mode: 0o600, flag: 'wx' });
    return secret;
  }
}
