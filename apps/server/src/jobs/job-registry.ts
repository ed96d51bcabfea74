import type { JobHandler } from './job.types.ts';

/** Handlers by type. Registering a type twice is a wiring bug and fails at start-up. */
export class JobRegistry {
  private readonly handlers = new Map<string, JobHandler>();

  register<I, R>(handler: JobHandler<I, R>): void {
    if (this.handlers.has(handler.type)) {
      throw new Error(`Job handler "${handler.type}" is registered twice.`);
    }
    this.handlers.set(handler.type, handler as JobHandler);
  }

  get(type: string): JobHandler | undefined {
    return this.handlers.get(type);
  }

  types(): string[] {
    return [...this.handlers.keys()];
  }
}
