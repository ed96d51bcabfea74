import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { hasRedis, services } from '../../../../test/support/backends.ts';
import { LOGIN_THROTTLE, type LoginThrottle, MemoryLoginThrottle } from './login-throttle.ts';
import { RedisLoginThrottle } from './login-throttle-redis.ts';

const clockAt = (start: number) => {
  const now = { ms: start };
  return { now, clock: () => new Date(now.ms) };
};

const redisClients: Redis[] = [];
const failOnError = (err: unknown) => {
  throw err;
};
afterAll(() => {
  for (const r of redisClients) r.disconnect();
});

/** A fresh key space per throttle, so the cases never see each other's streaks. */
const stores: Array<[string, (clock: () => Date) => LoginThrottle, boolean]> = [
  ['memory', (clock) => new MemoryLoginThrottle(clock), true],
  [
    'Redis',
    (clock) => {
      const redis = new Redis(services().redisUrl ?? '', { lazyConnect: false });
      redisClients.push(redis);
      return new RedisLoginThrottle(redis, `t-${randomBytes(4).toString('hex')}`, clock, failOnError);
    },
    hasRedis(),
  ],
];

describe.each(stores)('LoginThrottle (%s)', (_name, make, available) => {
  it.runIf(available)(
    'lets five failures through, then makes the account wait, doubling up to the cap',
    async () => {
      const { now, clock } = clockAt(Date.UTC(2026, 0, 1));
      const throttle = make(clock);
      const waits: number[] = [];
      for (let i = 0; i < 12; i++) {
        expect(await throttle.waitSeconds('a@example.com')).toBe(0);
        waits.push(await throttle.attempt('a@example.com'));
        now.ms += waits.at(-1)! * 1000;
      }
      expect(waits).toEqual([0, 0, 0, 0, 30, 60, 120, 240, 480, 900, 900, 900]);
    },
  );

  it.runIf(available)(
    'counts an attempt before the password is checked, so parallel guesses cannot all be checked',
    async () => {
      const { clock } = clockAt(Date.UTC(2026, 0, 1));
      const throttle = make(clock);
      // Parallel callers each ask whether they may try and count their try: the count is atomic.
      const waits = await Promise.all(Array.from({ length: 20 }, () => throttle.attempt('a@example.com')));
      expect(waits.filter((w) => w === 0)).toHaveLength(LOGIN_THROTTLE.freeFailures - 1);
      expect(await throttle.waitSeconds('a@example.com')).toBe(LOGIN_THROTTLE.maxWaitMs / 1000);
    },
  );

  it.runIf(available)('a success clears the streak; other accounts are not affected', async () => {
    const { clock } = clockAt(Date.UTC(2026, 0, 1));
    const throttle = make(clock);
    for (let i = 0; i < 5; i++) await throttle.attempt('a@example.com');
    expect(await throttle.waitSeconds('a@example.com')).toBe(30);
    expect(await throttle.waitSeconds('b@example.com')).toBe(0);
    await throttle.succeeded('a@example.com');
    expect(await throttle.waitSeconds('a@example.com')).toBe(0);
    expect(await throttle.attempt('a@example.com')).toBe(0);
  });

  it.runIf(available)('forgets a streak a while after its wait ends', async () => {
    const { now, clock } = clockAt(Date.UTC(2026, 0, 1));
    const throttle = make(clock);
    for (let i = 0; i < 4; i++) await throttle.attempt('a@example.com');
    now.ms += LOGIN_THROTTLE.forgetAfterMs;
    expect(await throttle.attempt('a@example.com')).toBe(0);
  });
});

describe('LoginThrottle across processes', () => {
  it.runIf(hasRedis())('two throttles on one Redis (two API processes) share the streak', async () => {
    const { clock } = clockAt(Date.UTC(2026, 0, 1));
    const redis = new Redis(services().redisUrl ?? '');
    redisClients.push(redis);
    const prefix = `t-${randomBytes(4).toString('hex')}`;
    const a = new RedisLoginThrottle(redis, prefix, clock, failOnError);
    const b = new RedisLoginThrottle(redis, prefix, clock, failOnError);
    for (let i = 0; i < 4; i++) await a.attempt('a@example.com');
    expect(await b.attempt('a@example.com')).toBe(30);
    expect(await a.waitSeconds('a@example.com')).toBe(30);
  });
});

describe('RedisLoginThrottle without Redis', () => {
  it('counts in this process while Redis cannot be reached, and says so', async () => {
    const { clock } = clockAt(Date.UTC(2026, 0, 1));
    // Nothing listens on port 1; no queueing, no retries: every command fails at once.
    const redis = new Redis({
      port: 1,
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
    });
    redisClients.push(redis);
    const errors: unknown[] = [];
    const throttle = new RedisLoginThrottle(redis, 'down', clock, (err) => errors.push(err));
    const waits: number[] = [];
    for (let i = 0; i < 6; i++) waits.push(await throttle.attempt('a@example.com'));
    expect(waits).toEqual([0, 0, 0, 0, 30, 60]);
    expect(await throttle.waitSeconds('a@example.com')).toBe(60);
    await throttle.succeeded('a@example.com');
    expect(await throttle.waitSeconds('a@example.com')).toBe(0);
    expect(errors.length).toBe(9);
  });
});

describe('MemoryLoginThrottle', () => {
  it('never remembers more accounts than its cap', async () => {
    const { clock } = clockAt(0);
    const throttle = new MemoryLoginThrottle(clock, { ...LOGIN_THROTTLE, maxEntries: 3 });
    for (let i = 0; i < 5; i++) await throttle.attempt('b@example.com');
    expect(await throttle.waitSeconds('b@example.com')).toBeGreaterThan(0);
    for (const other of ['c', 'd', 'e']) await throttle.attempt(`${other}@example.com`);
    expect(await throttle.waitSeconds('b@example.com')).toBe(0);
  });
});
