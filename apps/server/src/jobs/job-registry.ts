import { JobType } from '@studio/contracts';
import type { JobHandler } from './job.types.ts';

/**
 * Handlers by type. Registering a type twice is a wiring bug and fails at start-up, as is a type
 * the contracts' Job cannot show: one of the product's JobType, or a dotted name (`test.echo`).
 */
export class JobRegistry {
  private readonly handlers = new Map<string, JobHandler>();

  register<I, R>(handler: JobHandler<I, R>): void {
    if (this.handlers.has(handler.type)) {
      throw new Error(`Job handler "${handler.type}" is registered twice.`);
    }
    if (!JobType.safeParse(handler.type).success && !handler.type.includes('.')) {
      throw new Error(`Job type "${handler.type}" is neither a JobType nor a dotted extension name.`);
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
