import { CreatedToken, CreateTokenBody, IdParam, Ok, TokenList } from '@studio/contracts';
import type { Context } from '../context.ts';
import { type StudioApp, userOf } from '../http/types.ts';

export function tokenRoutes(app: StudioApp, ctx: Context): void {
  app.post(
    '/api/tokens',
    {
      schema: {
        tags: ['account'],
        summary: 'Create an API token (shown once), optionally expiring after `expires_in_days`',
        body: CreateTokenBody,
        response: { 201: CreatedToken },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await ctx.auth.createToken(userOf(request), request.body.name, request.body.expires_in_days)),
  );

  app.get(
    '/api/tokens',
    { schema: { tags: ['account'], summary: 'List your API tokens', response: { 200: TokenList } } },
    async (request) => ({ tokens: await ctx.auth.listTokens(userOf(request)) }),
  );

  app.delete(
    '/api/tokens/:id',
    { schema: { tags: ['account'], summary: 'Revoke an API token', params: IdParam, response: { 200: Ok } } },
    async (request) => {
      await ctx.auth.revokeToken(userOf(request), request.params.id);
      return { ok: true as const };
    },
  );
}
