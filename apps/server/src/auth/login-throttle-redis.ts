import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import {
  LOGIN_THROTTLE,
  type LoginThrottle,
  type LoginThrottlePolicy,
  MemoryLoginThrottle,
} from './login-throttle.ts';

/**
 * One failure counted atomically, so parallel guesses at several API processes cannot all read the
 * same count. Mirrors `waitAfter` and `MemoryLoginThrottle.current`; the key's expiry forgets the
 * streak without a sweep. KEYS[1] = the account's hash; ARGV = now, free, first, max, forget (ms).
 */
const ATTEMPT = `
local now = tonumber(ARGV[1])
local failures = tonumber(redis.call('HGET', KEYS[1], 'f') or '0')
local lockedUntil = tonumber(redis.call('HGET', KEYS[1], 'u') or '0')
if failures > 0 and lockedUntil + tonumber(ARGV[5]) <= now then failures = 0 end
failures = failures + 1
local over = failures - tonumber(ARGV[2])
local wait = 0
if over >= 0 then wait = math.min(tonumber(ARGV[4]), tonumber(ARGV[3]) * 2 ^ over) end
redis.call('HSET', KEYS[1], 'f', failures, 'u', now + wait)
redis.call('PEXPIRE', KEYS[1], wait + tonumber(ARGV[5]))
return wait
`;

/**
 * The per-account throttle shared by every API process through Redis (REDIS_URL). While Redis cannot
 * be reached, this process counts in memory instead: sign-ins keep working and stay throttled, per
 * process, until Redis is back.
 */
export class RedisLoginThrottle implements LoginThrottle {
  private readonly fallback: MemoryLoginThrottle;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly clock: () => Date,
    private readonly onError: (err: unknown) => void,
    private readonly policy: LoginThrottlePolicy = LOGIN_THROTTLE,
  ) {
    this.fallback = new MemoryLoginThrottle(clock, policy);
  }

  private async orFallback<T>(shared: () => Promise<T>, local: () => Promise<T>): Promise<T> {
    try {
      return await shared();
    } catch (err) {
      this.onError(err);
      return local();
    }
  }

  /** Hashed, so Redis holds no email addresses. */
  private key(account: string): string {
    return `${this.prefix}:login-throttle:${createHash('sha256').update(account).digest('hex')}`;
  }

  waitSeconds(account: string): Promise<number> {
    return this.orFallback(
      () => this.sharedWait(account),
      () => this.fallback.waitSeconds(account),
    );
  }

  attempt(account: string): Promise<number> {
    return this.orFallback(
      () => this.sharedAttempt(account),
      () => this.fallback.attempt(account),
    );
  }

  succeeded(account: string): Promise<void> {
    return this.orFallback(
      async () => {
        await this.redis.del(this.key(account));
      },
      () => this.fallback.succeeded(account),
    );
  }

  private async sharedWait(account: string): Promise<number> {
    const [failures, lockedUntil] = await this.redis.hmget(this.key(account), 'f', 'u');
    const until = Number(lockedUntil ?? 0);
    const now = this.clock().getTime();
    if (!failures || until + this.policy.forgetAfterMs <= now) return 0;
    return Math.max(0, Math.ceil((until - now) / 1000));
  }

  private async sharedAttempt(account: string): Promise<number> {
    const p = this.policy;
    const wait = await this.redis.eval(
      ATTEMPT,
      1,
      this.key(account),
      this.clock().getTime(),
      p.freeFailures,
      p.firstWaitMs,
      p.maxWaitMs,
      p.forgetAfterMs,
    );
    return Math.ceil(Number(wait) / 1000);
  }
}
