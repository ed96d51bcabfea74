import { describe, expect, it } from 'vitest';
import { LOGIN_THROTTLE, LoginThrottle } from './login-throttle.ts';

const clockAt = (start: number) => {
  const now = { ms: start };
  return { now, clock: () => new Date(now.ms) };
};

describe('LoginThrottle', () => {
  it('lets five failures through, then makes the account wait, doubling up to the cap', () => {
    const { now, clock } = clockAt(Date.UTC(2026, 0, 1));
    const throttle = new LoginThrottle(clock);
    const waits: number[] = [];
    for (let i = 0; i < 12; i++) {
      expect(throttle.waitSeconds('a@example.com')).toBe(0);
      waits.push(throttle.attempt('a@example.com'));
      now.ms += waits.at(-1)! * 1000;
    }
    expect(waits).toEqual([0, 0, 0, 0, 30, 60, 120, 240, 480, 900, 900, 900]);
  });

  it('counts an attempt before the password is checked, so parallel guesses cannot all be checked', () => {
    const { clock } = clockAt(0);
    const throttle = new LoginThrottle(clock);
    const checked = Array.from({ length: 20 }, () =>
      throttle.waitSeconds('a@example.com') === 0 ? throttle.attempt('a@example.com') : undefined,
    ).filter((w) => w !== undefined);
    expect(checked).toHaveLength(LOGIN_THROTTLE.freeFailures);
  });

  it('a success clears the streak; other accounts are not affected', () => {
    const { clock } = clockAt(0);
    const throttle = new LoginThrottle(clock);
    for (let i = 0; i < 4; i++) throttle.attempt('a@example.com');
    throttle.attempt('a@example.com');
    expect(throttle.waitSeconds('a@example.com')).toBe(30);
    expect(throttle.waitSeconds('b@example.com')).toBe(0);
    throttle.succeeded('a@example.com');
    expect(throttle.waitSeconds('a@example.com')).toBe(0);
    expect(throttle.attempt('a@example.com')).toBe(0);
  });

  it('forgets a streak a while after its wait ends, and never remembers more than its cap', () => {
    const { now, clock } = clockAt(0);
    const throttle = new LoginThrottle(clock, { ...LOGIN_THROTTLE, maxEntries: 3 });
    for (let i = 0; i < 4; i++) throttle.attempt('a@example.com');
    now.ms += LOGIN_THROTTLE.forgetAfterMs;
    expect(throttle.attempt('a@example.com')).toBe(0);

    for (let i = 0; i < 5; i++) throttle.attempt('b@example.com');
    expect(throttle.waitSeconds('b@example.com')).toBeGreaterThan(0);
    for (const other of ['c', 'd', 'e']) throttle.attempt(`${other}@example.com`);
    expect(throttle.waitSeconds('b@example.com')).toBe(0);
  });
});
