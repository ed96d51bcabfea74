import { createHmac, timingSafeEqual } from 'node:crypto';

/** How long an unlocked password-protected link stays open in one browser before asking again. */
const GRANT_HOURS = 12;

/**
 * Proof that the password of one link was given: `<expiry>.<hmac>`, where the HMAC covers the link
 * id, the expiry and the link's password hash, keyed by the server secret. Nothing is stored; a grant
 * dies with its expiry, and the link's own revocation or expiry closes it at once anyway.
 */
export class ShareGrants {
  private readonly key: Buffer;

  constructor(secret: Buffer) {
    this.key = createHmac('sha256', secret).update('share-link-grant').digest();
  }

  private sign(linkId: number, passwordHash: string, expires: number): string {
    return createHmac('sha256', this.key).update(`${linkId}.${expires}.${passwordHash}`).digest('base64url');
  }

  issue(
    linkId: number,
    passwordHash: string,
    now: Date,
    linkExpiresAt: string,
  ): { grant: string; expiresAt: string } {
    const expires = Math.min(now.getTime() + GRANT_HOURS * 3_600_000, Date.parse(linkExpiresAt));
    return {
      grant: `${expires}.${this.sign(linkId, passwordHash, expires)}`,
      expiresAt: new Date(expires).toISOString(),
    };
  }

  verify(grant: string | undefined, linkId: number, passwordHash: string, now: Date): boolean {
    const match = /^(\d{1,15})\.([A-Za-z0-9_-]{43})$/.exec(grant ?? '');
    if (!match) return false;
    const expires = Number(match[1]);
    if (expires <= now.getTime()) return false;
    const expected = Buffer.from(this.sign(linkId, passwordHash, expires));
    const given = Buffer.from(match[2] ?? '');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}
