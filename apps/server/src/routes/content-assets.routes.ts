import {
  Asset,
  AssetList,
  AssetListQuery,
  AssetStatistics,
  AssetUpdateBody,
  BulkBody,
  BulkParams,
  BulkResult,
  DeleteQuery,
  DeleteResponse,
  FavoriteResponse,
  IdParam,
  Lineage,
  PurgeResponse,
  SaveToLibraryRequest,
  SaveToLibraryResponse,
  UploadBody,
  UsageQuery,
  UsageResponse,
} from '@studio/contracts';
import type { Context } from '../context.ts';
import { validationFailed } from '../errors.ts';
import { multipartBody, uploadedFile } from '../http/multipart.ts';
import { type StudioApp, userOf } from '../http/types.ts';

const tags = ['asset library'];

/** Listing, search, edits, favorites, usage, statistics, trash, lineage, bulk actions and uploads. */
export function contentAssetRoutes(app: StudioApp, ctx: Context): void {
  app.get(
    '/api/content-assets',
    {
      schema: {
        tags,
        summary: 'List, filter and search assets (offset or cursor pages)',
        querystring: AssetListQuery,
        response: { 200: AssetList },
      },
    },
    async (request) => ctx.library.list(userOf(request).id, request.query),
  );

  app.get(
    '/api/content-assets/statistics',
    {
      schema: {
        tags,
        summary: 'Counts by type, source and provider; total cost',
        response: { 200: AssetStatistics },
      },
    },
    async (request) => ctx.library.statistics(userOf(request).id),
  );

  app.put(
    '/api/content-assets/:id',
    {
      schema: {
        tags,
        summary: 'Edit title, description, tags; merge asset_metadata into params',
        params: IdParam,
        body: AssetUpdateBody,
        response: { 200: Asset },
      },
    },
    async (request) => ctx.library.update(userOf(request).id, request.params.id, request.body),
  );

  app.post(
    '/api/content-assets/:id/favorite',
    { schema: { tags, summary: 'Toggle favorite', params: IdParam, response: { 200: FavoriteResponse } } },
    async (request) => ctx.library.toggleFavorite(userOf(request).id, request.params.id),
  );

  app.post(
    '/api/content-assets/:id/usage',
    {
      schema: {
        tags,
        summary: 'Track a download, share or access',
        params: IdParam,
        querystring: UsageQuery,
        response: { 200: UsageResponse },
      },
    },
    async (request) => ctx.library.trackUsage(userOf(request).id, request.params.id, request.query.action),
  );

  app.delete(
    '/api/content-assets/:id',
    {
      schema: {
        tags,
        summary: 'Move to the trash (or delete for good with permanent=true)',
        params: IdParam,
        querystring: DeleteQuery,
        response: { 200: DeleteResponse },
      },
    },
    async (request) =>
      ctx.trash.remove(userOf(request).id, request.params.id, request.query.permanent ?? false),
  );

  app.post(
    '/api/content-assets/:id/restore',
    { schema: { tags, summary: 'Restore from the trash', params: IdParam, response: { 200: Asset } } },
    async (request) => ctx.trash.restore(userOf(request).id, request.params.id),
  );

  app.delete(
    '/api/content-assets/trash',
    { schema: { tags, summary: 'Empty the trash', response: { 200: PurgeResponse } } },
    async (request) => ctx.trash.emptyTrash(userOf(request).id),
  );

  app.get(
    '/api/content-assets/:id/lineage',
    {
      schema: {
        tags,
        summary: "The asset's ancestors and descendants (edit → upscale → exports)",
        params: IdParam,
        response: { 200: Lineage },
      },
    },
    async (request) => ctx.library.lineage(userOf(request).id, request.params.id),
  );

  app.post(
    '/api/content-assets/bulk/download',
    {
      schema: {
        tags,
        summary: 'Download many assets as one ZIP (streamed)',
        description:
          'Ids that are missing or not yours are skipped and listed in the x-not-found header; assets ' +
          'whose stored file is missing are skipped and listed in x-missing-files. A storage failure ' +
          'after the download began cuts it off (an incomplete ZIP), never a hang.',
        body: BulkBody,
      },
    },
    async (request, reply) => {
      const zip = await ctx.library.zip(userOf(request).id, request.body.asset_ids, request.log);
      void reply.header('content-type', 'application/zip');
      void reply.header('content-disposition', `attachment; filename="assets-${zip.count}.zip"`);
      void reply.header('x-not-found', zip.notFound.join(','));
      void reply.header('x-missing-files', zip.missing.join(','));
      return reply.send(zip.stream);
    },
  );

  app.post(
    '/api/content-assets/bulk/:action',
    {
      schema: {
        tags,
        summary: 'Favorite, unfavorite, tag, move or delete many assets',
        params: BulkParams,
        body: BulkBody,
        response: { 200: BulkResult },
      },
    },
    async (request) => {
      const userId = userOf(request).id;
      return ctx.bulk.bulk(userId, request.params.action, request.body, async (id) => {
        await ctx.collections.owned(userId, id);
      });
    },
  );

  app.post(
    '/api/content-assets/upload',
    {
      config: { imageBody: true },
      // Multipart: the image as `file`, the other fields as form fields (`tags` comma-separated).
      preValidation: multipartBody({ listFields: ['tags'], maxFiles: 1 }),
      schema: {
        tags,
        summary:
          'Upload an image (multipart `file`, or JSON image_base64); known bytes return the existing asset',
        description: '201 with a new asset, 200 with the existing one when you already have these bytes.',
        body: UploadBody,
        response: { 200: Asset, 201: Asset },
      },
    },
    async (request, reply) => {
      const userId = userOf(request).id;
      const { image_base64, ...meta } = request.body;
      const file = uploadedFile(request, 'file');
      const source = file ? { bytes: file.bytes } : image_base64 ? { base64: image_base64 } : undefined;
      if (!source) {
        throw validationFailed('file: send the image as a multipart `file` part or as image_base64.', {
          issues: [{ path: 'file', message: 'Required.' }],
        });
      }
      const { asset, created } = await ctx.uploads.upload(
        userId,
        source,
        file ? { ...meta, filename: file.filename } : meta,
      );
      return reply.status(created ? 201 : 200).send(asset);
    },
  );

  app.post(
    '/api/image-studio/save-to-library',
    {
      config: { imageBody: true },
      schema: {
        tags: ['image studio'],
        summary: 'Save an image to the asset library (the original API)',
        body: SaveToLibraryRequest,
        response: { 200: SaveToLibraryResponse },
      },
    },
    async (request) => ctx.uploads.saveToLibrary(userOf(request).id, request.body),
  );
}
