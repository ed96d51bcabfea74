import type { JobKind } from './job-kind.ts';
import type { JobRunner } from './job-runner.ts';

const NOTICES: Record<JobKind, string> = {
  local:
    'No worker for local-model jobs is running right now: this job waits in the queue and starts when one connects.',
  cloud:
    'No worker for cloud jobs is running right now: this job waits in the queue and starts when one connects.',
};

/**
 * Which kinds of job no worker takes, as the job answers show it. Asked of the runner at most once
 * per `ttlMs` (listing jobs must not cost a Redis round trip per job); a failed check counts as
 * "workers present", since a job answer should not fail because Redis hiccuped.
 */
export class WorkerPresence {
  private cached: { at: number; kinds: Promise<JobKind[]> } | undefined;

  constructor(
    private readonly runner: Pick<JobRunner, 'unworkedKinds'>,
    private readonly ttlMs = 3_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** The notice for a queued job of this kind when no worker takes it, else null. */
  async noticeFor(kind: JobKind): Promise<string | null> {
    const kinds = await this.unworked();
    return kinds.includes(kind) ? NOTICES[kind] : null;
  }

  private unworked(): Promise<JobKind[]> {
    const at = this.now();
    if (!this.cached || at - this.cached.at >= this.ttlMs) {
      this.cached = { at, kinds: this.runner.unworkedKinds().catch(() => []) };
    }
    return this.cached.kinds;
  }
}
