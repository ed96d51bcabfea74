import {
  Ok,
  ProviderKeyInput,
  ProviderKeyList,
  ProviderKeyParams,
  ProviderKeyStatus,
  ProviderKeyTestInput,
  ProviderKeyTestResult,
  ProviderListResponse,
} from '@studio/contracts';
import type { Context } from '../context.ts';
import { type StudioApp, userOf } from '../http/types.ts';
import { listProviders } from '../providers/listing.ts';

export function providerRoutes(app: StudioApp, ctx: Context): void {
  app.get(
    '/api/image-studio/providers',
    {
      schema: {
        tags: ['create'],
        summary: 'Providers, their models, limits and prices, and whether you can use each now',
        response: { 200: ProviderListResponse },
      },
    },
    async (request) => ({
      providers: listProviders(ctx.providers, await ctx.providerKeys.availability(userOf(request).id)),
    }),
  );
  app.get(
    '/api/provider-keys',
    {
      schema: {
        tags: ['account'],
        summary: 'Your provider keys (last 4 characters only)',
        response: { 200: ProviderKeyList },
      },
    },
    async (request) => ({ keys: await ctx.providerKeys.list(userOf(request).id) }),
  );
  app.get(
    '/api/provider-keys/:provider',
    {
      schema: {
        tags: ['account'],
        summary: 'Your key for one provider (last 4 characters only)',
        params: ProviderKeyParams,
        response: { 200: ProviderKeyStatus },
      },
    },
    async (request) => ctx.providerKeys.get(userOf(request).id, request.params.provider),
  );
  app.put(
    '/api/provider-keys/:provider',
    {
      schema: {
        tags: ['account'],
        summary: 'Save your own key for a provider (stored encrypted)',
        params: ProviderKeyParams,
        body: ProviderKeyInput,
        response: { 200: ProviderKeyStatus },
      },
    },
    async (request) =>
      ctx.providerKeys.put(userOf(request).id, request.params.provider, request.body.api_key),
  );
  app.delete(
    '/api/provider-keys/:provider',
    {
      schema: {
        tags: ['account'],
        summary: 'Delete your key for a provider',
        params: ProviderKeyParams,
        response: { 200: Ok },
      },
    },
    async (request) => {
      await ctx.providerKeys.delete(userOf(request).id, request.params.provider);
      return { ok: true as const };
    },
  );
  app.post(
    '/api/provider-keys/:provider/test',
    {
      schema: {
        tags: ['account'],
        summary: 'Test a key against the provider (the given one, else yours, else the server key)',
        params: ProviderKeyParams,
        body: ProviderKeyTestInput,
        response: { 200: ProviderKeyTestResult },
      },
    },
    async (request) =>
      ctx.providerKeys.test(userOf(request).id, request.params.provider, request.body?.api_key),
  );
}
