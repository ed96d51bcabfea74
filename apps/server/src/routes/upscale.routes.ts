import { JobAccepted, UpscaleImageRequest, UpscaleImageResponse } from '@studio/contracts';
import type { Context } from '../context.ts';
import { multipartBody, uploadedFile } from '../http/multipart.ts';
import { type StudioApp, userOf } from '../http/types.ts';
import { presentResult } from '../studio/studio-result.ts';
import { jobAccepted } from './job-accepted.ts';

const MODES = ['fast', 'conservative', 'creative'] as const;
const modeOf = (operation: string) => MODES.find((m) => operation === `upscale.${m}`) ?? 'fast';

/** Upscale Studio: exact target sizes, local or Stability, every run a job and an asset. */
export function upscaleRoutes(app: StudioApp, ctx: Context): void {
  app.post(
    '/api/image-studio/upscale',
    {
      config: { imageBody: true },
      // Multipart: the image as `file` (or `image`); its bytes reach the ingest path as they are.
      preValidation: multipartBody(),
      schema: {
        tags: ['upscale'],
        summary: 'Upscale to a preset or an exact size (fast, conservative, creative or auto)',
        description:
          'Presets: web 2048 px, print 3072 px (or dpi × inches), social 1080 px (long side); or ' +
          'target_width/target_height, always hit exactly. `mode` in the answer is what ran (auto resolved).',
        body: UpscaleImageRequest,
        response: { 200: UpscaleImageResponse, 202: JobAccepted },
      },
    },
    async (request, reply) => {
      const user = userOf(request);
      const upload = (uploadedFile(request, 'file') ?? uploadedFile(request, 'image'))?.bytes;
      const input = await ctx.upscale.prepare(user.id, request.body, upload);
      if (request.body.async) {
        const job = await ctx.jobs.submit(user.id, 'upscale', input);
        return reply.status(202).send(jobAccepted(job.id, job.status, await ctx.jobs.waiting(job)));
      }
      const { job, result } = await ctx.jobs.run(user.id, 'upscale', input);
      const shown = await presentResult(ctx.studioIo, user.id, job.id, result);
      return { ...shown, mode: modeOf(result.operation) };
    },
  );
}
