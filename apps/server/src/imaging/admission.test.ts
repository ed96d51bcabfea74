import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import { Admission } from './admission.ts';

/** Work that runs until the test lets it finish. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

const settled = (p: Promise<unknown>) =>
  Promise.race([
    p.then(
      () => 'done',
      () => 'failed',
    ),
    new Promise((r) => setImmediate(() => r('pending'))),
  ]);

describe('admission: one pixel budget for image work', () => {
  it('admits work while it fits, queues the rest in order and runs it as pixels are released', async () => {
    const admission = new Admission({ pixelBudget: 100, localModelConcurrency: 1, queueMs: 60_000 });
    const a = gate();
    const order: string[] = [];
    const first = admission.request(60, async () => {
      order.push('first');
      await a.opened;
    });
    const second = admission.request(60, async () => {
      order.push('second');
    });
    const small = admission.request(10, async () => {
      order.push('small');
    });
    expect(await settled(second)).toBe('pending');
    // Arrival order: the small one does not jump the queued large one.
    expect(await settled(small)).toBe('pending');
    expect(admission.pixelsInFlight).toBe(60);
    a.open();
    await Promise.all([first, second, small]);
    expect(order).toEqual(['first', 'second', 'small']);
    expect(admission.pixelsInFlight).toBe(0);
  });

  it('tells work whether it runs alone: no other request or job holding pixels', async () => {
    const admission = new Admission({ pixelBudget: 100, localModelConcurrency: 1, queueMs: 60_000 });
    expect(await admission.request(10, async (alone) => alone)).toBe(true);
    const job = gate();
    const running = admission.localModel(10, undefined, () => job.opened);
    expect(await admission.request(10, async (alone) => alone)).toBe(false);
    job.open();
    await running;
    const holder = gate();
    const first = admission.request(80, () => holder.opened);
    const beside = admission.request(20, async (alone) => alone);
    expect(await beside).toBe(false);
    // Queued behind the holder, it starts alone once the holder is done.
    const queued = admission.request(50, async (alone) => alone);
    expect(await settled(queued)).toBe('pending');
    holder.open();
    await first;
    expect(await queued).toBe(true);
    expect(admission.pixelsInFlight).toBe(0);
  });

  it('runs work larger than the whole budget alone instead of never', async () => {
    const admission = new Admission({ pixelBudget: 100, localModelConcurrency: 1, queueMs: 60_000 });
    expect(await admission.request(500, async () => admission.pixelsInFlight)).toBe(100);
  });

  it('tells a request that waited too long to come back: 503 server_busy with Retry-After', async () => {
    const admission = new Admission({ pixelBudget: 100, localModelConcurrency: 1, queueMs: 20 });
    const a = gate();
    const holder = admission.request(100, () => a.opened);
    let ran = false;
    const refused = await admission
      .request(1, async () => {
        ran = true;
      })
      .catch((e: unknown) => e);
    expect(ran).toBe(false);
    expect(refused).toBeInstanceOf(AppError);
    const e = refused as AppError;
    expect([e.status, e.code]).toEqual([503, 'server_busy']);
    expect(e.headers).toEqual({ 'retry-after': '1' });
    a.open();
    await holder;
    expect(admission.pixelsInFlight).toBe(0);
  });

  it('releases the pixels of work that failed', async () => {
    const admission = new Admission({ pixelBudget: 100, localModelConcurrency: 1, queueMs: 0 });
    await expect(
      admission.request(80, async () => {
        throw new Error('broken image');
      }),
    ).rejects.toThrow('broken image');
    expect(admission.pixelsInFlight).toBe(0);
    expect(await admission.request(100, async () => 'fits')).toBe('fits');
  });

  it('runs local models one at a time, and a canceled job leaves the queue without running', async () => {
    const admission = new Admission({ pixelBudget: 1000, localModelConcurrency: 1, queueMs: 0 });
    const a = gate();
    const running = admission.localModel(10, undefined, () => a.opened);
    const cancel = new AbortController();
    let canceledRan = false;
    const canceled = admission.localModel(10, cancel.signal, async () => {
      canceledRan = true;
    });
    let thirdRan = false;
    const third = admission.localModel(10, undefined, async () => {
      thirdRan = true;
    });
    // Request work is not held up by the model slot, only by pixels.
    expect(await admission.request(10, async () => 'request')).toBe('request');
    expect(await settled(third)).toBe('pending');
    cancel.abort(new Error('canceled'));
    await expect(canceled).rejects.toThrow('canceled');
    a.open();
    await Promise.all([running, third]);
    expect(canceledRan).toBe(false);
    expect(thirdRan).toBe(true);
    expect(admission.pixelsInFlight).toBe(0);
  });

  it('lets a job wait for pixels as long as it takes (no 503), until canceled', async () => {
    const admission = new Admission({ pixelBudget: 100, localModelConcurrency: 2, queueMs: 0 });
    const a = gate();
    const holder = admission.request(100, () => a.opened);
    const cancel = new AbortController();
    const waiting = admission.localModel(50, cancel.signal, async () => 'never');
    const patient = admission.localModel(50, undefined, async () => 'ran');
    expect(await settled(patient)).toBe('pending');
    cancel.abort(new Error('canceled'));
    await expect(waiting).rejects.toThrow('canceled');
    a.open();
    await holder;
    expect(await patient).toBe('ran');
  });
});
