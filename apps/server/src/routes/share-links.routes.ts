import { IdParam, ShareLink, ShareLinkCreate, ShareLinkCreated, ShareLinkList } from '@studio/contracts';
import type { Context } from '../context.ts';
import { type StudioApp, userOf } from '../http/types.ts';

const tags = ['share links'];

/** The owner's side of share links: make one for a collection or an asset, list, revoke. */
export function shareLinkRoutes(app: StudioApp, ctx: Context): void {
  app.post(
    '/api/share-links',
    {
      schema: {
        tags,
        summary: 'Share a collection or one asset by link (expiry, optional password, downloads)',
        body: ShareLinkCreate,
        response: { 201: ShareLinkCreated },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await ctx.shareLinks.create(userOf(request).id, request.body)),
  );

  app.get(
    '/api/share-links',
    { schema: { tags, summary: 'Your share links, newest first', response: { 200: ShareLinkList } } },
    async (request) => ctx.shareLinks.list(userOf(request).id),
  );

  app.delete(
    '/api/share-links/:id',
    {
      schema: {
        tags,
        summary: 'Revoke a share link (it stops opening at once)',
        params: IdParam,
        response: { 200: ShareLink },
      },
    },
    async (request) => ctx.shareLinks.revoke(userOf(request).id, request.params.id),
  );
}
