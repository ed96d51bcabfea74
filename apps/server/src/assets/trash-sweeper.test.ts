import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { TrashSweeper } from './trash-sweeper.ts';

describe('TrashSweeper', () => {
  it('sweeps once right after start with the configured retention, then stops cleanly', async () => {
    const calls: number[] = [];
    let release: () => void = () => {};
    const swept = new Promise<void>((resolve) => {
      release = resolve;
    });
    const sweeper = new TrashSweeper(
      {
        purgeExpired: async (days) => {
          calls.push(days);
          release();
          return 3;
        },
      },
      30,
      pino({ level: 'silent' }),
    );
    sweeper.start();
    await swept;
    await sweeper.stop();
    expect(calls).toEqual([30]);
  });

  it('a failing sweep is logged, not thrown, and stop() before the first tick prevents it', async () => {
    const failing = new TrashSweeper(
      {
        purgeExpired: async () => {
          throw new Error('database is gone');
        },
      },
      1,
      pino({ level: 'silent' }),
    );
    await expect(failing.sweep()).resolves.toBeUndefined();

    let called = false;
    const early = new TrashSweeper(
      {
        purgeExpired: async () => {
          called = true;
          return 0;
        },
      },
      1,
      pino({ level: 'silent' }),
    );
    early.start();
    await early.stop();
    await new Promise((r) => setTimeout(r, 20));
    expect(called).toBe(false);
  });
});
