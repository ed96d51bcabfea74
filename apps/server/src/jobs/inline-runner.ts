import type { JobExecutor } from './job-executor.ts';
import type { JobKind } from './job-kind.ts';
import type { JobRunner } from './job-runner.ts';

/** In-process runner with a concurrency limit: the default, with nothing to install. */
export class InlineJobRunner implements JobRunner {
  readonly kind = 'inline';
  private readonly waiting: string[] = [];
  private readonly active = new Set<Promise<void>>();
  private closed = false;

  constructor(
    private readonly executor: JobExecutor,
    private readonly concurrency: number,
  ) {}

  async enqueue(jobId: string): Promise<void> {
    this.waiting.push(jobId);
    this.pump();
  }

  private pump(): void {
    while (!this.closed && this.active.size < this.concurrency && this.waiting.length > 0) {
      const id = this.waiting.shift();
      if (id === undefined) {
        return;
      }
      // execute() never rejects (it logs with the job id), so this chain cannot end unhandled.
      const run = this.executor.execute(id).finally(() => {
        this.active.delete(run);
        this.pump();
      });
      this.active.add(run);
    }
  }

  /** This process works every kind itself. */
  async unworkedKinds(): Promise<JobKind[]> {
    return [];
  }

  /** Nothing survives this process, so a `running` row from before a restart is dead. */
  async mayStillBeRunning(): Promise<boolean> {
    return false;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.active]);
  }
}
