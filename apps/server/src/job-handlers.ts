import { JOB_INPUTS } from '@studio/contracts';
import type { ControlService } from './control/control.service.ts';
import type { CreateService } from './create/create.service.ts';
import type { EditService } from './edit/edit.service.ts';
import type { JobRegistry } from './jobs/job-registry.ts';
import type { SocialCampaigns } from './social/campaign.ts';
import type { UpscaleService } from './upscale/upscale.service.ts';

export interface StudioServices {
  create: CreateService;
  edit: EditService;
  upscale: UpscaleService;
  control: ControlService;
  social: SocialCampaigns;
}

/**
 * The product's job types, registered by the context that builds their services (the server and the
 * workers build the same one, so both know the same types). Each input schema comes from the
 * contracts and is checked by the executor before a job runs; jobs/ itself knows no studio.
 */
export function registerStudioJobs(registry: JobRegistry, s: StudioServices): void {
  registry.register({
    type: 'create',
    input: JOB_INPUTS.create,
    run: (job) => s.create.run(job),
    local: (input) => input.provider === 'local',
  });
  registry.register({
    type: 'edit',
    input: JOB_INPUTS.edit,
    run: (job) => s.edit.run(job),
    local: (input) => input.route === 'local',
  });
  registry.register({
    type: 'upscale',
    input: JOB_INPUTS.upscale,
    run: (job) => s.upscale.run(job),
    local: (input) => input.route === 'local',
  });
  registry.register({ type: 'control', input: JOB_INPUTS.control, run: (job) => s.control.run(job) });
  // A campaign is local CPU work on the caller's own images: it queues with the local jobs.
  registry.register({
    type: 'social',
    input: JOB_INPUTS.social,
    run: (job) => s.social.run(job),
    local: () => true,
  });
}
