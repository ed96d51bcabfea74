import {
  JobAccepted,
  SocialCampaignJobResult,
  SocialCampaignQuery,
  SocialCampaignRequest,
  SocialCampaignResponse,
  SocialCampaignZipParam,
} from '@studio/contracts';
import type { FastifyReply } from 'fastify';
import type { Context } from '../context.ts';
import { conflict, notFound } from '../errors.ts';
import { multipartBody, uploadedFiles } from '../http/multipart.ts';
import { type StudioApp, userOf } from '../http/types.ts';
import type { SocialCampaigns } from '../social/campaign.ts';
import { jobAccepted } from './job-accepted.ts';

const tags = ['social'];

/** Social campaigns: several sources, the same formats, one ZIP with a folder per source. */
export function socialCampaignRoutes(app: StudioApp, ctx: Context): void {
  const campaigns = ctx.social.campaigns;

  app.post(
    '/api/image-studio/social/campaign',
    {
      config: { imageBody: true },
      preValidation: multipartBody({
        listFields: ['platforms', 'asset_ids'],
        // One more than allowed, so a campaign one file too long hears why rather than multipart's limit.
        maxFiles: ctx.config.socialCampaign.maxSources + 1,
      }),
      schema: {
        tags,
        summary: 'Several images into the same platform formats, as one ZIP with a folder per source',
        description:
          'Sources: `images` (base64 in JSON), multipart `files` parts (the file name names the ' +
          "source's folder) and/or `asset_ids`; the other fields as in /social/optimize. Runs as a " +
          '`social` job (progress ' +
          'per source on /api/jobs/{id}/events); past SOCIAL_CAMPAIGN_INLINE_OUTPUTS outputs, or ' +
          'with `async`, it answers 202 at once. Bad input is refused before anything is saved.',
        body: SocialCampaignRequest,
        querystring: SocialCampaignQuery,
        response: { 200: SocialCampaignResponse, 202: JobAccepted },
      },
    },
    async (request, reply) => {
      const user = userOf(request);
      const b = request.body;
      const prepared = await campaigns.prepare(
        user.id,
        {
          files: [
            ...b.images.map((i) => ({ base64: i.image_base64, filename: i.name ?? '' })),
            ...uploadedFiles(request, 'files'),
            ...uploadedFiles(request, 'file'),
          ],
          assetIds: b.asset_ids,
        },
        {
          platforms: b.platforms,
          ...(b.format_names ? { formatNames: b.format_names } : {}),
          allFormats: b.all_formats,
          cropMode: b.crop_mode,
          focalPoint: b.focal_point ?? null,
          outputFormat: b.output_format,
          ...(b.quality !== undefined ? { quality: b.quality } : {}),
          fitBackground: b.fit_background,
          backgroundColor: b.background_color,
          burnSafeZones: b.burn_safe_zones,
        },
      );
      if (b.async || prepared.outputs > campaigns.inlineOutputs) {
        const job = await ctx.jobs.submit(user.id, 'social', prepared.input);
        return reply.status(202).send(jobAccepted(job.id, job.status, await ctx.jobs.waiting(job)));
      }
      const { job, result } = await ctx.jobs.run(user.id, 'social', prepared.input);
      if (request.query.download === 'zip') {
        return sendZip(reply, campaigns, user.id, job.id, result);
      }
      return { success: true as const, job_id: job.id, ...result, warnings: prepared.warnings };
    },
  );

  app.get(
    '/api/image-studio/social/campaigns/:file',
    {
      schema: {
        tags,
        summary: "A finished campaign's outputs as a ZIP (`<job_id>.zip`), a folder per source",
        params: SocialCampaignZipParam,
      },
    },
    async (request, reply) => {
      const user = userOf(request);
      const job = await ctx.jobs.get(user.id, request.params.file.replace(/\.zip$/, ''));
      if (job.type !== 'social') throw notFound('Campaign');
      if (job.status !== 'succeeded' || !job.result) {
        throw conflict(
          'campaign_not_finished',
          `The campaign is ${job.status}; its ZIP exists once it succeeded.`,
        );
      }
      return sendZip(reply, campaigns, user.id, job.id, SocialCampaignJobResult.parse(job.result));
    },
  );
}

function sendZip(
  reply: FastifyReply,
  campaigns: SocialCampaigns,
  userId: number,
  jobId: string,
  result: SocialCampaignJobResult,
) {
  void reply.header('content-type', 'application/zip');
  void reply.header('content-disposition', `attachment; filename="social-campaign-${jobId}.zip"`);
  void reply.header('x-job-id', jobId);
  // Fastify sends streams as they are, past the JSON schema that types this reply.
  return reply.send(campaigns.zip(userId, result) as never);
}
