import {
  PlatformParam,
  PlatformSpecResponse,
  SocialExportParam,
  SocialFormatsResponse,
  SocialOptimizeQuery,
  SocialOptimizeRequest,
  SocialOptimizeResponse,
  SocialPlatformsResponse,
  SocialPreviewResponse,
  SocialSavedCropsQuery,
  SocialSavedCropsResponse,
} from '@studio/contracts';
import type { Context } from '../context.ts';
import { type StudioApp, userOf } from '../http/types.ts';
import { formatView, specView, unknownPlatform } from '../social/catalogue-views.ts';
import { optimizeInput, presentOptimize, presentPreview } from '../social/optimize-views.ts';
import {
  CATALOGUE_VERSION,
  findPlatform,
  PLATFORMS,
  PLATFORMS_WITHOUT_FORMATS,
} from '../social/platforms.ts';
import { imageMultipart, imageSource } from './image-source-body.ts';

const tags = ['social'];

/**
 * Social Optimizer and its platform catalogue. CPU-bound but local and free, so it answers in the
 * request like the original; sharp does the work off the event loop.
 */
export function socialRoutes(app: StudioApp, ctx: Context): void {
  const studio = ctx.social;

  app.get(
    '/api/image-studio/social/platforms',
    {
      schema: {
        tags,
        summary: 'Every platform and format in the catalogue',
        response: { 200: SocialPlatformsResponse },
      },
    },
    async () => ({
      catalogue_version: CATALOGUE_VERSION,
      platforms: PLATFORMS.map((p) => ({
        id: p.id,
        display_name: p.displayName,
        formats: p.formats.map(formatView),
      })),
    }),
  );

  app.get(
    '/api/image-studio/social/platforms/:platform/formats',
    {
      schema: {
        tags,
        summary: "A platform's formats with sizes, safe zones and upload limits",
        description:
          'blog, email and website have no social formats (empty list); other unknown names are 404.',
        params: PlatformParam,
        response: { 200: SocialFormatsResponse },
      },
    },
    async (request) => {
      const { platform } = request.params;
      const spec = findPlatform(platform);
      if (!spec) {
        if ((PLATFORMS_WITHOUT_FORMATS as readonly string[]).includes(platform.toLowerCase())) {
          return { platform: platform.toLowerCase(), catalogue_version: CATALOGUE_VERSION, formats: [] };
        }
        throw unknownPlatform(platform);
      }
      return {
        platform: spec.id,
        catalogue_version: CATALOGUE_VERSION,
        formats: spec.formats.map(formatView),
      };
    },
  );

  app.get(
    '/api/image-studio/platform-specs/:platform',
    {
      schema: {
        tags,
        summary: "A platform's upload specs (the original's endpoint, from the same catalogue)",
        params: PlatformParam,
        response: { 200: PlatformSpecResponse },
      },
    },
    async (request) => {
      const spec = findPlatform(request.params.platform);
      if (!spec) throw unknownPlatform(request.params.platform);
      return specView(spec);
    },
  );

  app.post(
    '/api/image-studio/social/optimize',
    {
      config: { imageBody: true },
      preValidation: imageMultipart,
      schema: {
        tags,
        summary: 'One image into many platform formats, saved to your library',
        description:
          'JSON (image_base64 or asset_id) or multipart (`file` + fields). Outputs are assets (module ' +
          '`social`, parent = the source). `?download=zip` answers with a ZIP of the outputs instead.',
        body: SocialOptimizeRequest,
        querystring: SocialOptimizeQuery,
        response: { 200: SocialOptimizeResponse },
      },
    },
    async (request, reply) => {
      const user = userOf(request);
      const b = request.body;
      const asZip = request.query.download === 'zip';
      const outcome = await studio.optimize(user.id, imageSource(request, b), optimizeInput(b, asZip));
      if (asZip) {
        void reply.header('content-type', 'application/zip');
        void reply.header('content-disposition', `attachment; filename="social-${outcome.exportId}.zip"`);
        void reply.header('x-export-id', outcome.exportId);
        // Streamed from the outputs in memory: none can be missing.
        void reply.header('x-missing-files', '');
        // Fastify sends streams as they are, past the JSON schema that types this reply.
        return reply.send(studio.zipOf(outcome) as never);
      }
      return presentOptimize(outcome, b.include_base64);
    },
  );

  app.post(
    '/api/image-studio/social/preview',
    {
      config: { imageBody: true },
      preValidation: imageMultipart,
      schema: {
        tags,
        summary: 'The crops an optimize with this body would make, without making them',
        description:
          'The optimize body: JSON (image_base64 or asset_id) or multipart (`file` + fields). Answers ' +
          'per format the crop in source pixels, the strategy and subjects ' +
          'behind it and the safe areas — no image bytes, nothing saved. Send a crop back in `crops` ' +
          'to export exactly it.',
        body: SocialOptimizeRequest,
        response: { 200: SocialPreviewResponse },
      },
    },
    async (request) => {
      const b = request.body;
      return presentPreview(
        await studio.preview(userOf(request).id, imageSource(request, b), optimizeInput(b, false)),
      );
    },
  );

  app.get(
    '/api/image-studio/social/crops',
    {
      schema: {
        tags,
        summary: 'The crops last exported from a library image, per format',
        description: 'Send them back as `crops` to export the same crops again.',
        querystring: SocialSavedCropsQuery,
        response: { 200: SocialSavedCropsResponse },
      },
    },
    async (request) => {
      const assetId = request.query.asset_id;
      const saved = await studio.savedCrops(userOf(request).id, assetId);
      return {
        asset_id: assetId,
        crops: saved.map((c) => ({
          platform: c.format.platform,
          format: c.format.name,
          format_id: c.format.id,
          ...c.crop,
          output_asset_id: c.assetId,
          saved_at: c.savedAt,
        })),
      };
    },
  );

  app.get(
    '/api/image-studio/social/exports/:file',
    {
      schema: {
        tags,
        summary: 'All outputs of one optimization as a ZIP (`<export_id>.zip`)',
        params: SocialExportParam,
      },
    },
    async (request, reply) => {
      const exportId = request.params.file.replace(/\.zip$/, '');
      const zip = await studio.exportZip(userOf(request).id, exportId, request.log);
      void reply.header('content-type', 'application/zip');
      void reply.header('content-disposition', `attachment; filename="social-${exportId}.zip"`);
      void reply.header('x-missing-files', zip.missing.join(','));
      return reply.send(zip.stream);
    },
  );
}
