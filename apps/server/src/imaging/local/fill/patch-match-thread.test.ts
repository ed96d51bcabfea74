import { describe, expect, it } from 'vitest';
import { naturalTexture, rectMask } from '../testing/synthetic-images.ts';
import { PARALLEL_HOLE_PIXELS, patchMatchFill } from './patch-match.ts';
import { patchMatchFillOffThread } from './patch-match-thread.ts';

/** Counts event-loop turns while `work` runs: a blocked loop turns none. */
async function loopTurnsDuring<T>(work: () => Promise<T>): Promise<{ result: T; turns: number }> {
  let turns = 0;
  const timer = setInterval(() => turns++, 5);
  try {
    const result = await work();
    return { result, turns };
  } finally {
    clearInterval(timer);
  }
}

describe('PatchMatch off the main thread', () => {
  it('gives the same bytes as on the main thread, while the event loop keeps turning', async () => {
    const img = naturalTexture(256, 256, 3);
    const mask = rectMask(256, 256, 90, 80, 60, 70);
    const here = patchMatchFill(img, mask, { seed: 7 });
    const { result, turns } = await loopTurnsDuring(() => patchMatchFillOffThread(img, mask, { seed: 7 }));
    expect(Buffer.compare(result.data, here.data)).toBe(0);
    expect([result.width, result.height, result.channels]).toEqual([256, 256, 3]);
    expect(turns).toBeGreaterThan(0);
  });

  it('a hole large enough to split its steps over two threads gives the same bytes too', async () => {
    const img = naturalTexture(560, 560, 3);
    const mask = rectMask(560, 560, 80, 80, 400, 400);
    // Large enough that the searches, votes (a coarse level) and copies of two levels are split.
    expect(200 * 200).toBeGreaterThanOrEqual(PARALLEL_HOLE_PIXELS);
    const here = patchMatchFill(img, mask, { seed: 3 });
    const there = await patchMatchFillOffThread(img, mask, { seed: 3 });
    expect(Buffer.compare(there.data, here.data)).toBe(0);
    expect(there.data.equals(img.data)).toBe(false);
  });

  it('a canceled fill rejects with the reason, queued or running, and the next fill still works', async () => {
    const big = naturalTexture(768, 768, 5);
    const bigMask = rectMask(768, 768, 200, 200, 320, 320);
    const small = naturalTexture(96, 96, 9);
    const smallMask = rectMask(96, 96, 30, 30, 24, 24);

    const running = new AbortController();
    const queued = new AbortController();
    const first = patchMatchFillOffThread(big, bigMask, {}, running.signal);
    const second = patchMatchFillOffThread(small, smallMask, {}, queued.signal);
    queued.abort(new Error('queued one canceled'));
    await expect(second).rejects.toThrow('queued one canceled');
    setTimeout(() => running.abort(new Error('running one canceled')), 50);
    await expect(first).rejects.toThrow('running one canceled');

    const after = await patchMatchFillOffThread(small, smallMask, { seed: 1 });
    expect(Buffer.compare(after.data, patchMatchFill(small, smallMask, { seed: 1 }).data)).toBe(0);

    const already = new AbortController();
    already.abort(new Error('canceled before it started'));
    await expect(patchMatchFillOffThread(small, smallMask, {}, already.signal)).rejects.toThrow(
      'canceled before it started',
    );
  });
});
