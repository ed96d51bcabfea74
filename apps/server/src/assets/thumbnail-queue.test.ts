import { describe, expect, it } from 'vitest';
import { Foreground } from '../util/foreground.ts';
import { ThumbnailQueue } from './thumbnail-queue.ts';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('ThumbnailQueue', () => {
  it('runs queued work a few at a time, each once, and reports failures without stopping', async () => {
    const errors: number[] = [];
    const queue = new ThumbnailQueue((id) => errors.push(id), 2);
    let running = 0;
    let peak = 0;
    const ran: number[] = [];
    for (let id = 1; id <= 6; id++) {
      queue.enqueue(id, async () => {
        running++;
        peak = Math.max(peak, running);
        await tick();
        running--;
        ran.push(id);
        if (id === 3) throw new Error('bad image');
      });
    }
    queue.enqueue(2, async () => {
      throw new Error('a second job for a queued asset is ignored');
    });
    await queue.idle();
    expect(ran.sort()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(peak).toBe(2);
    expect(errors).toEqual([3]);
  });

  it('settle runs a waiting job at once, or joins it when it has started; false when none', async () => {
    const queue = new ThumbnailQueue(() => undefined, 1);
    const order: string[] = [];
    queue.enqueue(1, async () => {
      await tick();
      order.push('first');
    });
    queue.enqueue(2, async () => {
      order.push('second');
    });
    expect(await queue.settle(2)).toBe(true);
    expect(order).toEqual(['second']);
    expect(await queue.settle(1)).toBe(true);
    expect(order).toEqual(['second', 'first']);
    expect(await queue.settle(1)).toBe(false);
    await queue.idle();
    expect(order).toEqual(['second', 'first']);
  });

  it('stop finishes the running jobs and drops the waiting ones', async () => {
    const queue = new ThumbnailQueue(() => undefined, 1);
    const ran: number[] = [];
    for (let id = 1; id <= 3; id++) {
      queue.enqueue(id, async () => {
        await tick();
        ran.push(id);
      });
    }
    await queue.stop();
    expect(ran).toEqual([1]);
    expect(await queue.settle(2)).toBe(false);
  });

  it('holds deferred thumbnails back until the request in flight has ended', async () => {
    const fg = new Foreground();
    const queue = new ThumbnailQueue(() => undefined, 2, fg);
    const ran: number[] = [];
    const end = fg.begin();
    queue.enqueue(1, async () => {
      ran.push(1);
    });
    queue.enqueue(2, async () => {
      ran.push(2);
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(ran).toEqual([]);
    end();
    await queue.idle();
    expect(ran).toEqual([1, 2]);
  });
});
