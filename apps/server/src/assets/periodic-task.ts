/**
 * Runs a task once shortly after start, then every `intervalMs`. The timer is unref'd so it never
 * keeps a process alive, a tick never overlaps one still running, and `stop()` waits for a running
 * one. The task reports its own failures (it must not throw).
 */
export class PeriodicTask {
  private timer?: NodeJS.Timeout;
  private first?: NodeJS.Immediate;
  private running?: Promise<void>;

  constructor(
    private readonly task: () => Promise<void>,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    const tick = () => {
      this.running ??= this.task().finally(() => {
        this.running = undefined;
      });
    };
    this.timer = setInterval(tick, this.intervalMs);
    this.timer.unref();
    this.first = setImmediate(tick).unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    clearImmediate(this.first);
    await this.running;
  }
}
