export interface LoginThrottlePolicy {
  /** Failed sign-ins in a row after which an account has to wait. */
  freeFailures: number;
  /** The first wait; each further failure doubles it, up to `maxWaitMs`. */
  firstWaitMs: number;
  maxWaitMs: number;
  /** A streak is forgotten this long after its wait is over without another failure. */
  forgetAfterMs: number;
  /** Accounts remembered at once in memory; the stalest go first, so random emails cannot grow it. */
  maxEntries: number;
}

export const LOGIN_THROTTLE: LoginThrottlePolicy = {
  freeFailures: 5,
  firstWaitMs: 30_000,
  maxWaitMs: 15 * 60_000,
  forgetAfterMs: 15 * 60_000,
  maxEntries: 10_000,
};

/**
 * Failed sign-ins per account, on top of the per-address rate limit: that one stops a client, this
 * one stops many addresses guessing one account's password. Keyed by the email as typed (lowercased
 * by the contract) whether or not the account exists, so the answer never tells which accounts do.
 * While an account waits its password is not even checked. In memory for one process; in Redis
 * (`login-throttle-redis.ts`) when REDIS_URL is set, so every API process counts the same streak.
 */
export interface LoginThrottle {
  /** Whole seconds this account must still wait before a password is checked again; 0 = go ahead. */
  waitSeconds(account: string): Promise<number>;
  /**
   * Counts a sign-in as failed before its password is checked (`succeeded` takes it back), so a burst
   * of parallel guesses cannot all be checked before the first of them is counted. Resolves with the
   * whole seconds the account must wait if this attempt fails (0 while failures are still free).
   */
  attempt(account: string): Promise<number>;
  succeeded(account: string): Promise<void>;
}

/** The wait in ms after the `failures`-th failure in a row. */
export const waitAfter = (failures: number, policy: LoginThrottlePolicy): number => {
  const over = failures - policy.freeFailures;
  return over >= 0 ? Math.min(policy.maxWaitMs, policy.firstWaitMs * 2 ** over) : 0;
};

interface Streak {
  failures: number;
  lockedUntil: number;
}

export class MemoryLoginThrottle implements LoginThrottle {
  private readonly streaks = new Map<string, Streak>();

  constructor(
    private readonly clock: () => Date,
    private readonly policy: LoginThrottlePolicy = LOGIN_THROTTLE,
  ) {}

  async waitSeconds(account: string): Promise<number> {
    const streak = this.current(account);
    return streak ? Math.max(0, Math.ceil((streak.lockedUntil - this.clock().getTime()) / 1000)) : 0;
  }

  async attempt(account: string): Promise<number> {
    const now = this.clock().getTime();
    const failures = (this.current(account)?.failures ?? 0) + 1;
    const wait = waitAfter(failures, this.policy);
    this.streaks.delete(account);
    this.streaks.set(account, { failures, lockedUntil: now + wait });
    this.trim();
    return Math.ceil(wait / 1000);
  }

  async succeeded(account: string): Promise<void> {
    this.streaks.delete(account);
  }

  private current(account: string): Streak | undefined {
    const streak = this.streaks.get(account);
    if (streak && streak.lockedUntil + this.policy.forgetAfterMs <= this.clock().getTime()) {
      this.streaks.delete(account);
      return undefined;
    }
    return streak;
  }

  private trim(): void {
    for (const account of this.streaks.keys()) {
      if (this.streaks.size <= this.policy.maxEntries) return;
      this.streaks.delete(account);
    }
  }
}
