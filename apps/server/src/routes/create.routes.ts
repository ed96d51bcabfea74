import { CreateImageRequest, CreateImageResponse, JobAccepted } from '@studio/contracts';
import type { Context } from '../context.ts';
import { type StudioApp, userOf } from '../http/types.ts';
import { jobAccepted } from './job-accepted.ts';

export function createRoutes(app: StudioApp, ctx: Context): void {
  app.post(
    '/api/image-studio/create',
    {
      schema: {
        tags: ['create'],
        summary: 'Generate 1–10 images from a prompt (and template), saved to your library',
        description:
          'Waits for the images unless `async` is true, in which case it answers 202 with the job. ' +
          'Each successful variation is an asset and is charged; failed variations are listed with their error and cost nothing.',
        body: CreateImageRequest,
        response: { 200: CreateImageResponse, 202: JobAccepted },
      },
      // A reference image (image-to-image) may come as base64.
      config: { imageBody: true },
    },
    async (request, reply) => {
      const user = userOf(request);
      const { async: runAsync, ...body } = request.body;
      const input = await ctx.create.prepare(user.id, body);
      if (runAsync) {
        const job = await ctx.jobs.submit(user.id, 'create', input);
        return reply.status(202).send(jobAccepted(job.id, job.status, await ctx.jobs.waiting(job)));
      }
      const { job, result } = await ctx.jobs.run(user.id, 'create', input);
      const results = await Promise.all(
        result.results.map(async (r) => {
          if (!('asset_id' in r)) {
            return { variation: r.variation, error: r.error, code: r.code };
          }
          const bytes = await ctx.assets.bytes(user.id, r.asset_id);
          return { ...r, image_base64: bytes.toString('base64') };
        }),
      );
      return { success: result.total_generated > 0, job_id: job.id, ...result, results };
    },
  );
}
