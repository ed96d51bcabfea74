import { timingSafeEqual } from 'node:crypto';

/** Whether `given` is the configured METRICS_TOKEN, compared in constant time. */
export function sameToken(given: string, token: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}
