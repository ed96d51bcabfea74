import { loadavg } from 'node:os';

/** Wall-clock and CPU (user + system, this process) time of one piece of work. */
export interface Timing {
  wallMs: number;
  /** User + system CPU time of the process (all threads): unlike wall time, barely affected by load. */
  cpuMs: number;
}

export async function timed<T>(fn: () => Promise<T> | T): Promise<[T, Timing]> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const value = await fn();
  const used = process.cpuUsage(cpu);
  return [value, { wallMs: performance.now() - start, cpuMs: (used.user + used.system) / 1000 }];
}

/** Repeated timings of one thing, for medians. */
export interface Series {
  wall: number[];
  cpu: number[];
}

export const series = (): Series => ({ wall: [], cpu: [] });

export async function timeInto(into: Series, work: () => Promise<unknown>): Promise<void> {
  const [, t] = await timed(work);
  into.wall.push(t.wallMs);
  into.cpu.push(t.cpuMs);
}

export const median = (xs: readonly number[]): number =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

/** The 1, 5 and 15 minute load averages, beside every figure measured on a shared machine. */
export const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
