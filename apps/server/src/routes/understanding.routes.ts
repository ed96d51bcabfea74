import { AssetAnalysis, AutoTagParams, DuplicateList, IdParam, JobAccepted } from '@studio/contracts';
import type { Context } from '../context.ts';
import { type StudioApp, userOf } from '../http/types.ts';
import { jobAccepted } from './job-accepted.ts';

const tags = ['asset library'];

/** What the library learned from pixels: near-duplicate groups, an asset's palette, the backfill job. */
export function understandingRoutes(app: StudioApp, ctx: Context): void {
  app.get(
    '/api/content-assets/duplicates',
    {
      schema: {
        tags,
        summary:
          'Groups of exact copies (same bytes) and of similar images (resized, recompressed, lightly edited)',
        response: { 200: DuplicateList },
      },
    },
    async (request) => ctx.understanding.duplicates(userOf(request).id),
  );

  app.get(
    '/api/content-assets/:id/analysis',
    {
      schema: {
        tags,
        summary:
          "The asset's colour palette, perceptual hash, automatic tags and recognised text (pending until analysed)",
        params: IdParam,
        response: { 200: AssetAnalysis },
      },
    },
    async (request) => ctx.understanding.analysis(userOf(request).id, request.params.id),
  );

  app.delete(
    '/api/content-assets/:id/auto-tags/:label',
    {
      schema: {
        tags,
        summary: 'Take an automatic tag off an asset, for good',
        description:
          'The tag leaves the asset and its search at once and is not brought back by a later analysis. 404 when the asset is not yours or shows no such tag.',
        params: AutoTagParams,
        response: { 200: AssetAnalysis },
      },
    },
    async (request) =>
      ctx.understanding.removeAutoTag(userOf(request).id, request.params.id, request.params.label),
  );

  app.post(
    '/api/content-assets/analysis/backfill',
    {
      schema: {
        tags,
        summary: 'Analyse every image not analysed yet, as a cancelable job with progress',
        description:
          'Resumable: images already analysed are skipped, so a stopped run is continued by the next.',
        response: { 202: JobAccepted },
      },
    },
    async (request, reply) => {
      const job = await ctx.jobs.submit(userOf(request).id, 'library.analyze', {});
      return reply.status(202).send(jobAccepted(job.id, job.status, await ctx.jobs.waiting(job)));
    },
  );
}
