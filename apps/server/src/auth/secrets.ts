import { createHash, randomBytes } from 'node:crypto';

/** A random, URL-safe secret (session cookie or API token). */
export const newSecret = (prefix = '') => `${prefix}${randomBytes(32).toString('base64url')}`;

/** Secrets are stored only as their sha256; a database leak does not leak usable credentials. */
export const hashSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');
