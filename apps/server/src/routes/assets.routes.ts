import { Asset, FileQuery, IdParam, ThumbnailQuery } from '@studio/contracts';
import type { FastifyReply } from 'fastify';
import type { AssetFile } from '../assets/asset.service.ts';
import type { Context } from '../context.ts';
import { type StudioApp, userOf } from '../http/types.ts';

export function sendFile(reply: FastifyReply, file: AssetFile, download: boolean) {
  void reply.header('content-type', file.mimeType);
  // Content-addressed bytes never change under the same URL; private because they are per-user.
  void reply.header('cache-control', 'private, max-age=31536000, immutable');
  void reply.header('x-content-type-options', 'nosniff');
  if (file.size !== undefined) {
    void reply.header('content-length', String(file.size));
  }
  void reply.header(
    'content-disposition',
    `${download ? 'attachment' : 'inline'}; filename="${file.filename}"`,
  );
  return reply.send(file.stream);
}

/** The core asset endpoints every module relies on; the library's routes are in content-assets*.routes.ts. */
export function assetRoutes(app: StudioApp, ctx: Context): void {
  app.get(
    '/api/content-assets/:id',
    { schema: { tags: ['assets'], summary: 'One asset', params: IdParam, response: { 200: Asset } } },
    async (request) => ctx.assets.get(userOf(request).id, request.params.id),
  );

  app.get(
    '/api/content-assets/:id/file',
    {
      schema: {
        tags: ['assets'],
        summary: "The asset's image bytes",
        params: IdParam,
        querystring: FileQuery,
      },
    },
    async (request, reply) =>
      sendFile(
        reply,
        await ctx.assets.file(userOf(request).id, request.params.id),
        request.query.download === true,
      ),
  );

  app.get(
    '/api/content-assets/:id/thumbnail',
    {
      schema: {
        tags: ['assets'],
        summary: 'WebP thumbnail (small 256 px, large 1024 px)',
        params: IdParam,
        querystring: ThumbnailQuery,
      },
    },
    async (request, reply) =>
      sendFile(
        reply,
        await ctx.assets.thumbnail(userOf(request).id, request.params.id, request.query.size),
        false,
      ),
  );
}
