import {
  TemplateList,
  TemplateListQuery,
  TemplateRecommendQuery,
  TemplateRecommendResult,
  TemplateSearchQuery,
  TemplateSearchResult,
} from '@studio/contracts';
import type { Context } from '../context.ts';
import type { StudioApp } from '../http/types.ts';

export function templateRoutes(app: StudioApp, ctx: Context): void {
  app.get(
    '/api/image-studio/templates',
    {
      schema: {
        tags: ['create'],
        summary: 'Templates, filtered by platform, category and quality',
        querystring: TemplateListQuery,
        response: { 200: TemplateList },
      },
    },
    async (request) => {
      const templates = ctx.templates.list(request.query);
      return { templates, total: templates.length };
    },
  );

  app.get(
    '/api/image-studio/templates/search',
    {
      schema: {
        tags: ['create'],
        summary: 'Search templates (tokenised, ranked by field, tolerant of typos and plurals)',
        querystring: TemplateSearchQuery,
        response: { 200: TemplateSearchResult },
      },
    },
    async (request) => {
      const templates = ctx.templates.search(request.query.query);
      return { templates, total: templates.length, query: request.query.query };
    },
  );

  app.get(
    '/api/image-studio/templates/recommend',
    {
      schema: {
        tags: ['create'],
        summary: 'Templates for a use case, best first',
        querystring: TemplateRecommendQuery,
        response: { 200: TemplateRecommendResult },
      },
    },
    async (request) => {
      const { use_case, platform, limit } = request.query;
      const templates = ctx.templates.recommend(use_case, platform, limit);
      return { templates, total: templates.length, use_case };
    },
  );
}
