import { KeyCipher } from '../providers/keys/cipher.ts';
import type { SecretCheckRepository } from './secret-check.repository.ts';

export const SECRET_CHECK_NAME = 'provider-keys';
const CHECK_TEXT = 'image-studio secret check';

export class SecretMismatchError extends Error {
  constructor() {
    super(
      "The server secret does not match the one this data was encrypted with, so users' provider keys " +
        'cannot be read. Set APP_SECRET back to its previous value (or restore DATA_DIR/secret.key), or ' +
        're-encrypt the keys under the new secret with `OLD_APP_SECRET=<previous> npm run rekey`.',
    );
    this.name = 'SecretMismatchError';
  }
}

/** The check value sealed with `secret`, with the same cipher as the provider keys. */
export const sealCheck = (secret: Buffer): string =>
  new KeyCipher(secret).encrypt(CHECK_TEXT, SECRET_CHECK_NAME);

/** Whether `secret` opens a check value sealed earlier. */
export function opensCheck(secret: Buffer, box: string): boolean {
  try {
    return new KeyCipher(secret).decrypt(box, SECRET_CHECK_NAME) === CHECK_TEXT;
  } catch {
    return false;
  }
}

/**
 * Checks at startup that the server secret still opens what it sealed. The first start seals a known
 * text with the same cipher as the provider keys; a later start with another secret fails to open it
 * and stops with a clear message, instead of answering 500 on every provider call.
 */
export async function assertSecretUnchanged(
  repo: SecretCheckRepository,
  secret: Buffer,
  now: string,
): Promise<void> {
  const box = await repo.get(SECRET_CHECK_NAME);
  if (box === undefined) {
    await repo.putIfAbsent(SECRET_CHECK_NAME, sealCheck(secret), now);
    return;
  }
  if (!opensCheck(secret, box)) {
    throw new SecretMismatchError();
  }
}
