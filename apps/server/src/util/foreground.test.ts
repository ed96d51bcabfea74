import { describe, expect, it } from 'vitest';
import { Foreground } from './foreground.ts';

const settled = async <T>(p: Promise<T>) => {
  let done = false;
  void p.then(() => {
    done = true;
  });
  await new Promise((r) => setTimeout(r, 20));
  return done;
};

describe('Foreground', () => {
  it('is quiet once every request that began has ended, each end counted once', async () => {
    const fg = new Foreground();
    expect(await settled(fg.quiet(60_000))).toBe(true);
    const endA = fg.begin();
    const endB = fg.begin();
    const waiting = fg.quiet(60_000);
    endA();
    endA();
    expect(fg.busy).toBe(true);
    expect(await settled(waiting)).toBe(false);
    endB();
    expect(fg.busy).toBe(false);
    expect(await settled(waiting)).toBe(true);
  });

  it('lets background work start after the longest wait even while requests keep coming', async () => {
    const fg = new Foreground();
    fg.begin();
    expect(await settled(fg.quiet(10))).toBe(true);
  });
});
