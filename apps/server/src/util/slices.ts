/**
 * Long pixel loops written as generators that `yield` between slices of work, so one body serves
 * both a worker thread (run at once) and the main thread (run with the event loop let in between
 * slices, so requests, event streams and health checks keep answering during a 50 MP loop).
 */
export type Sliced<T> = Generator<void, T, void>;

/** Pixels per slice: a few milliseconds of simple per-pixel work. */
export const SLICE_PIXELS = 1 << 19;

export const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function runInSlices<T>(work: Sliced<T>): Promise<T> {
  for (;;) {
    const step = work.next();
    if (step.done) return step.value;
    await nextTurn();
  }
}

export function runAtOnce<T>(work: Sliced<T>): T {
  for (;;) {
    const step = work.next();
    if (step.done) return step.value;
  }
}
