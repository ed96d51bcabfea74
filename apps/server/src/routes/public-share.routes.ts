import {
  ShareAssetParams,
  SharedGallery,
  ShareGrantQuery,
  ShareImageQuery,
  ShareTokenParam,
  ShareUnlockBody,
  ShareUnlocked,
} from '@studio/contracts';
import type { FastifyReply } from 'fastify';
import type { AssetFile } from '../assets/asset.service.ts';
import type { Context } from '../context.ts';
import { CREDENTIALS_BODY_LIMIT } from '../http/body-limits.ts';
import type { StudioApp } from '../http/types.ts';

const tags = ['public share'];

/**
 * Per client address: a gallery page loads one image per tile, so the limit is well above a page's
 * worth, yet walking tokens or asset ids by brute force gets nowhere.
 */
const GALLERY_LIMIT = { max: 600, timeWindow: '1 minute' };

/**
 * Shared bytes are never cached: a revoked link must stop showing them at once, and `private` keeps
 * them out of shared proxies.
 */
function sendShared(reply: FastifyReply, file: AssetFile, download: boolean) {
  void reply.header('content-type', file.mimeType);
  void reply.header('cache-control', 'private, no-store');
  if (file.size !== undefined) void reply.header('content-length', String(file.size));
  void reply.header(
    'content-disposition',
    `${download ? 'attachment' : 'inline'}; filename="${file.filename}"`,
  );
  return reply.send(file.stream);
}

/** The anonymous side of share links: the read-only gallery behind a token. */
export function publicShareRoutes(app: StudioApp, ctx: Context): void {
  const unlockLimit = { max: ctx.config.loginRateLimitPerMinute, timeWindow: '1 minute' };

  app.get(
    '/api/public/shares/:token',
    {
      config: { public: true, rateLimit: GALLERY_LIMIT },
      schema: {
        tags,
        summary: 'The shared gallery (no account needed); 404 once revoked or expired',
        params: ShareTokenParam,
        querystring: ShareGrantQuery,
        response: { 200: SharedGallery },
      },
    },
    async (request) => ctx.shareLinks.gallery(request.params.token, request.query.grant),
  );

  app.post(
    '/api/public/shares/:token/unlock',
    {
      config: { public: true, rateLimit: unlockLimit },
      bodyLimit: CREDENTIALS_BODY_LIMIT,
      schema: {
        tags,
        summary: "Give a protected link's password; answers the grant later calls carry",
        params: ShareTokenParam,
        body: ShareUnlockBody,
        response: { 200: ShareUnlocked },
      },
    },
    async (request) => ctx.shareLinks.unlock(request.params.token, request.body.password),
  );

  app.get(
    '/api/public/shares/:token/assets/:id/image',
    {
      config: { public: true, rateLimit: GALLERY_LIMIT },
      schema: {
        tags,
        summary: 'A web-sized copy (WebP) of a shared asset',
        params: ShareAssetParams,
        querystring: ShareImageQuery,
      },
    },
    async (request, reply) =>
      sendShared(
        reply,
        await ctx.shareLinks.image(
          request.params.token,
          request.query.grant,
          request.params.id,
          request.query.size,
        ),
        false,
      ),
  );

  app.get(
    '/api/public/shares/:token/assets/:id/original',
    {
      config: { public: true, rateLimit: GALLERY_LIMIT },
      schema: {
        tags,
        summary: 'The original file of a shared asset, when the link allows downloads',
        params: ShareAssetParams,
        querystring: ShareGrantQuery,
      },
    },
    async (request, reply) =>
      sendShared(
        reply,
        await ctx.shareLinks.original(request.params.token, request.query.grant, request.params.id),
        true,
      ),
  );
}
