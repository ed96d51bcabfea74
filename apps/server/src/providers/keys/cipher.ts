import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';

/**
 * AES-256-GCM for users' provider keys. The key is derived from the server secret with HKDF, so the
 * secret itself never encrypts data directly; the additional data binds each ciphertext to its user
 * and provider, so a row copied onto another user or provider fails to decrypt.
 */
export class KeyCipher {
  private readonly key: Buffer;

  constructor(secret: Buffer) {
    this.key = Buffer.from(hkdfSync('sha256', secret, 'image-studio', 'provider-keys:v1', 32));
  }

  encrypt(plain: string, aad: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(aad, 'utf8'));
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [VERSION, iv, cipher.getAuthTag(), data]
      .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
      .join('.');
  }

  /** Throws when the box was tampered with, encrypted under another secret, or bound to other data. */
  decrypt(box: string, aad: string): string {
    const [version, iv, tag, data] = box.split('.');
    if (version !== VERSION || !iv || !tag || data === undefined) throw new Error('unknown key box format');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  }
}

export const keyAad = (userId: number, provider: string) => `${userId}:${provider}`;
