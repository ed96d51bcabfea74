import {
  AssetList,
  AssetListQuery,
  Collection,
  CollectionAssetsBody,
  CollectionAssetsResult,
  CollectionCreate,
  CollectionDeleted,
  CollectionList,
  CollectionListQuery,
  CollectionUpdate,
  IdParam,
} from '@studio/contracts';
import type { Context } from '../context.ts';
import { type StudioApp, userOf } from '../http/types.ts';

const tags = ['asset library'];

/** Collections (albums) of the asset library, at the original's paths. */
export function contentAssetCollectionRoutes(app: StudioApp, ctx: Context): void {
  app.post(
    '/api/content-assets/collections',
    {
      schema: { tags, summary: 'Create a collection', body: CollectionCreate, response: { 201: Collection } },
    },
    async (request, reply) =>
      reply.status(201).send(await ctx.collections.create(userOf(request).id, request.body)),
  );

  app.get(
    '/api/content-assets/collections',
    {
      schema: {
        tags,
        summary: 'List collections',
        querystring: CollectionListQuery,
        response: { 200: CollectionList },
      },
    },
    async (request) => ctx.collections.list(userOf(request).id, request.query.limit, request.query.offset),
  );

  app.get(
    '/api/content-assets/collections/:id',
    { schema: { tags, summary: 'One collection', params: IdParam, response: { 200: Collection } } },
    async (request) => ctx.collections.get(userOf(request).id, request.params.id),
  );

  app.put(
    '/api/content-assets/collections/:id',
    {
      schema: {
        tags,
        summary: 'Rename, describe, publish or set the cover',
        params: IdParam,
        body: CollectionUpdate,
        response: { 200: Collection },
      },
    },
    async (request) => ctx.collections.update(userOf(request).id, request.params.id, request.body),
  );

  app.delete(
    '/api/content-assets/collections/:id',
    {
      schema: {
        tags,
        summary: 'Delete a collection; its assets stay in the library',
        params: IdParam,
        response: { 200: CollectionDeleted },
      },
    },
    async (request) => ctx.collections.delete(userOf(request).id, request.params.id),
  );

  app.get(
    '/api/content-assets/collections/:id/assets',
    {
      schema: {
        tags,
        summary: "The collection's assets (same filters as the library list)",
        params: IdParam,
        querystring: AssetListQuery,
        response: { 200: AssetList },
      },
    },
    async (request) => ctx.collections.assetsOf(userOf(request).id, request.params.id, request.query),
  );

  app.post(
    '/api/content-assets/collections/:id/assets',
    {
      schema: {
        tags,
        summary: 'Add assets (an asset is in at most one collection)',
        params: IdParam,
        body: CollectionAssetsBody,
        response: { 200: CollectionAssetsResult },
      },
    },
    async (request) =>
      ctx.collections.addAssets(userOf(request).id, request.params.id, request.body.asset_ids),
  );

  app.delete(
    '/api/content-assets/collections/:id/assets',
    {
      schema: {
        tags,
        summary: 'Remove assets from the collection',
        params: IdParam,
        body: CollectionAssetsBody,
        response: { 200: CollectionAssetsResult },
      },
    },
    async (request) =>
      ctx.collections.removeAssets(userOf(request).id, request.params.id, request.body.asset_ids),
  );
}
