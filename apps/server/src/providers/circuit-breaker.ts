export interface BreakerPolicy {
  /** Consecutive failures that open the circuit. */
  failureThreshold: number;
  /** How long the circuit stays open before one trial call is let through. */
  cooldownMs: number;
}

export type BreakerState = 'closed' | 'open' | 'half_open';

export const DEFAULT_BREAKER: BreakerPolicy = { failureThreshold: 5, cooldownMs: 30_000 };

/**
 * Per-provider circuit breaker. Only outages count as failures (5xx, timeouts, connection errors);
 * a 4xx proves the provider is up. While open every call fails fast; after the cooldown one trial
 * call decides whether it closes again.
 */
export class CircuitBreaker {
  private failures = 0;
  private openedAt = 0;
  private trialInFlight = false;
  private current: BreakerState = 'closed';

  constructor(
    readonly policy: BreakerPolicy = DEFAULT_BREAKER,
    private readonly now: () => number = Date.now,
  ) {}

  get state(): BreakerState {
    if (this.current === 'open' && this.now() - this.openedAt >= this.policy.cooldownMs) return 'half_open';
    return this.current;
  }

  /** Milliseconds until a trial call is allowed; 0 when calls may go through. */
  retryInMs(): number {
    return this.state === 'open' ? this.policy.cooldownMs - (this.now() - this.openedAt) : 0;
  }

  /** Whether a call may start now; reserves the single trial slot when half-open. */
  tryAcquire(): boolean {
    const state = this.state;
    if (state === 'closed') return true;
    if (state === 'open' || this.trialInFlight) return false;
    this.trialInFlight = true;
    this.current = 'half_open';
    return true;
  }

  success(): void {
    this.failures = 0;
    this.trialInFlight = false;
    this.current = 'closed';
  }

  failure(): void {
    this.trialInFlight = false;
    this.failures += 1;
    if (this.current === 'half_open' || this.failures >= this.policy.failureThreshold) {
      this.current = 'open';
      this.openedAt = this.now();
    }
  }

  /** A call that ended without saying anything about the provider's health (e.g. 429, caller abort). */
  release(): void {
    if (this.trialInFlight) {
      this.trialInFlight = false;
      if (this.current === 'half_open') {
        this.current = 'open';
        this.openedAt = this.now() - this.policy.cooldownMs;
      }
    }
  }
}
