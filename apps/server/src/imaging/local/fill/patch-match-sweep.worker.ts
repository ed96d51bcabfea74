import { parentPort } from 'node:worker_threads';
import type { MatchState } from './level-solver.ts';
import { runSweepPart, type SweepPart } from './patch-match.ts';

/** The second thread of a large fill: sweeps its half of the finest level over shared memory. */
interface Request {
  id: number;
  state: MatchState;
  part: SweepPart;
  sweeps: number;
  radius: number;
}

parentPort?.on('message', ({ id, state, part, sweeps, radius }: Request) => {
  try {
    runSweepPart(state, part, sweeps, radius);
    parentPort?.postMessage({ id, ok: true });
  } catch (e) {
    parentPort?.postMessage({ id, ok: false, message: e instanceof Error ? e.message : String(e) });
  }
});
