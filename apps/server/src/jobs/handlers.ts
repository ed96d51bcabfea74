import type { Context } from '../context.ts';
import type { ControlJobInput } from '../control/control.service.ts';
import type { CreateJobInput } from '../create/create.service.ts';
import type { EditJobInput } from '../edit/edit-job.ts';
import type { UpscaleJobInput } from '../upscale/upscale.service.ts';
import type { JobRegistry } from './job-registry.ts';

type HandlerContext = Omit<Context, 'close' | 'jobs' | 'jobRunner'>;

/**
 * Registers every job handler the product has. Each module contributes one line; the server and the
 * workers call this same function, so both know the same job types.
 */
export function registerJobHandlers(registry: JobRegistry, ctx: HandlerContext): void {
  registry.register<CreateJobInput, unknown>({
    type: 'create',
    run: (job) => ctx.create.run(job),
    local: (input) => input.provider === 'local',
  });
  registry.register<EditJobInput, unknown>({
    type: 'edit',
    run: (job) => ctx.edit.run(job),
    local: (input) => input.route === 'local',
  });
  registry.register<UpscaleJobInput, unknown>({
    type: 'upscale',
    run: (job) => ctx.upscale.run(job),
    local: (input) => input.route === 'local',
  });
  registry.register<ControlJobInput, unknown>({ type: 'control', run: (job) => ctx.control.run(job) });
}
