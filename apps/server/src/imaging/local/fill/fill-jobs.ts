import { type SigmaJob, sigmaRows } from './flatness.ts';
import { type MatchState, matchDistance, rng, sweep } from './patch-search.ts';
import { type CopyJob, copyBestRows, type VoteJob, voteRows } from './patch-votes.ts';
import { type BlendJob, blendChannels } from './poisson-blend.ts';
import { type UpsampleJob, upsampleRows } from './pyramid.ts';

/**
 * Search over the targets in rows [firstRow, endRow), with its own seed: `sweeps` PatchMatch
 * sweeps of random-search radius `radius`, after recomputing the targets' match distances when
 * `refresh` (the image changed since they were found).
 */
export interface SweepJob {
  kind: 'sweep';
  state: MatchState;
  targets: Int32Array;
  firstRow: number;
  endRow: number;
  seed: number;
  refresh: boolean;
  sweeps: number;
  radius: number;
}

/** Part of one step of a fill: plain data, so the other thread can run it over shared memory. */
export type FillJob = SweepJob | VoteJob | CopyJob | SigmaJob | UpsampleJob | BlendJob;

/**
 * One step of a fill as two halves (rows above and below a split) that never read what the other
 * writes, so running them at once on two threads gives the same bytes as one after the other.
 * `shared`: the arrays live in shared memory (the step is large enough to be worth splitting).
 */
export interface SplitStep {
  jobs: [FillJob, FillJob];
  shared: boolean;
}

function runSweepJob(job: SweepJob): void {
  const { state, targets } = job;
  if (job.refresh) {
    for (const p of targets) state.dist[p] = matchDistance(state, p, state.nnf[p]!);
  }
  const random = rng(job.seed);
  for (let i = 0; i < job.sweeps; i++) {
    sweep(state, targets, job.firstRow, job.endRow, i % 2 === 1, job.radius, random);
  }
}

export function runFillJob(job: FillJob): void {
  if (job.kind === 'sweep') runSweepJob(job);
  else if (job.kind === 'vote') voteRows(job);
  else if (job.kind === 'sigma') sigmaRows(job);
  else if (job.kind === 'upsample') upsampleRows(job);
  else if (job.kind === 'blend') blendChannels(job);
  else copyBestRows(job);
}
