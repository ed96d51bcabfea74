import { KeyCipher } from '../providers/keys/cipher.ts';
import type { SecretCheckRepository } from './secret-check.repository.ts';

const CHECK_NAME = 'provider-keys';
const CHECK_TEXT = 'image-studio secret check';

export class SecretMismatchError extends Error {
  constructor() {
    super(
      "The server secret does not match the one this data was encrypted with, so users' provider keys " +
        'cannot be read. Set APP_SECRET back to its previous value (or restore DATA_DIR/secret.key) and ' +
        'start again.',
    );
    this.name = 'SecretMismatchError';
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
  const cipher = new KeyCipher(secret);
  const box = await repo.get(CHECK_NAME);
  if (box === undefined) {
    await repo.putIfAbsent(CHECK_NAME, cipher.encrypt(CHECK_TEXT, CHECK_NAME), now);
    return;
  }
  let opened: string | undefined;
  try {
    opened = cipher.decrypt(box, CHECK_NAME);
  } catch {
    opened = undefined;
  }
  if (opened !== CHECK_TEXT) {
    throw new SecretMismatchError();
  }
}
