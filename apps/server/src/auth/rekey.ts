import path from 'node:path';
import type { Config } from '../config.ts';
import { openDatabase } from '../db/database.ts';
import { KeyCipher, keyAad } from '../providers/keys/cipher.ts';
import { ProviderKeyRepository, type ProviderKeyTables } from '../providers/keys/key.repository.ts';
import { loadOrCreateSecret } from '../secret.ts';
import { SecretCheckRepository, type SecretCheckTables } from './secret-check.repository.ts';
import { opensCheck, SECRET_CHECK_NAME, sealCheck } from './secret-check.ts';

export class RekeyError extends Error {
  override name = 'RekeyError';
}

/**
 * Re-encrypts every user's provider keys from `oldSecret` to the configured secret (APP_SECRET, or
 * DATA_DIR/secret.key) and seals the startup check with it, in one transaction: a wrong old secret
 * changes nothing, and so does a second run. Run it with the studio stopped. Returns how many keys
 * were re-encrypted.
 */
export async function rekey(config: Config, oldSecret: Buffer): Promise<number> {
  const newSecret = loadOrCreateSecret(config);
  if (newSecret.equals(oldSecret)) {
    throw new RekeyError('The old and the new secret are the same; set APP_SECRET to the new secret.');
  }
  const db = openDatabase({
    databaseUrl: config.databaseUrl,
    sqlitePath: path.join(config.dataDir, 'studio.db'),
  });
  try {
    await db.migrate();
    const from = new KeyCipher(oldSecret);
    const to = new KeyCipher(newSecret);
    return await db.kysely.transaction().execute(async (trx) => {
      const checks = new SecretCheckRepository(trx.withTables<SecretCheckTables>());
      const keys = new ProviderKeyRepository(trx.withTables<ProviderKeyTables>());
      const box = await checks.get(SECRET_CHECK_NAME);
      // The check is resealed in the same transaction as the keys, so a check the new secret opens
      // means an earlier run finished: running again (a retried deploy step) changes nothing.
      if (box !== undefined && opensCheck(newSecret, box)) return 0;
      if (box !== undefined && !opensCheck(oldSecret, box)) {
        throw new RekeyError(
          'OLD_APP_SECRET is not the secret this data was encrypted with; nothing changed.',
        );
      }
      const rows = await keys.all();
      for (const row of rows) {
        const aad = keyAad(row.user_id, row.provider);
        let plain: string;
        try {
          plain = from.decrypt(row.ciphertext, aad);
        } catch {
          throw new RekeyError(
            `The ${row.provider} key of user ${row.user_id} does not open with OLD_APP_SECRET; nothing changed.`,
          );
        }
        await keys.setCiphertext(row.id, to.encrypt(plain, aad));
      }
      await checks.put(SECRET_CHECK_NAME, sealCheck(newSecret), new Date().toISOString());
      return rows.length;
    });
  } finally {
    await db.close();
  }
}
