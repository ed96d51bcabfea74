import { monitorEventLoopDelay } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { removeBackground } from './background-removal.ts';
import { planFill } from './fill/content-aware-fill.ts';
import { growMask } from './mask.ts';
import type { RawMask } from './raw-image.ts';

/**
 * The JavaScript pixel loops of local edits on large images let the event loop in between slices;
 * run at once, a 25 MP grow or component split held it for seconds. The bound is loose (a loaded
 * two-core machine deschedules the process now and then) but well under what one loop used to take.
 */
const MAX_STALL_MS = 1500;

async function longestStall(work: () => Promise<unknown>): Promise<number> {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  try {
    await work();
  } finally {
    delay.disable();
  }
  return delay.max / 1e6;
}

/** A large disc and thin stripes: one huge component, many thin ones. */
function largeMask(side: number): RawMask {
  const data = new Uint8Array(side * side);
  const c = side / 2;
  const r2 = (side / 4) ** 2;
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      if ((x - c) ** 2 + (y - c) ** 2 < r2 || x % 400 < 3) data[y * side + x] = 255;
    }
  }
  return { width: side, height: side, data };
}

describe('local edit loops on large images', () => {
  it('grow the mask and split it into fill components without stalling the event loop', async () => {
    const mask = largeMask(5000);
    let grown: RawMask | undefined;
    let plan: Awaited<ReturnType<typeof planFill>> | undefined;
    const stall = await longestStall(async () => {
      grown = await growMask(mask, 3);
      plan = await planFill(mask);
    });
    expect(stall).toBeLessThan(MAX_STALL_MS);
    // Still the right answers: the disc is grown, the stripes go to Telea and the disc to PatchMatch.
    const centre = 2500 * 5000 + 2500;
    expect(grown?.data[2500 * 5000 + 2500 - 1250 - 2]).toBe(255);
    expect(grown?.data[2500 * 5000 + 2500 - 1250 - 5]).toBe(0);
    expect(plan?.patchMatch?.data[centre]).toBe(255);
    expect(plan?.telea?.data[100 * 5000 + 401]).toBe(255);
    expect(plan?.telea?.data[centre]).toBe(0);
  }, 180_000);

  it('cuts out a 16 MP image without stalling the event loop', async () => {
    const side = 4000;
    const image = {
      data: Buffer.alloc(side * side * 3, 200),
      width: side,
      height: side,
      channels: 3 as const,
    };
    let channels = 0;
    const stall = await longestStall(async () => {
      channels = (await removeBackground(image)).channels;
    });
    expect(channels).toBe(4);
    expect(stall).toBeLessThan(MAX_STALL_MS);
  }, 180_000);
});
