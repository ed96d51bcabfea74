import { Health } from '@studio/contracts';
import type { Context } from '../context.ts';
import type { StudioApp } from '../http/types.ts';

export function healthRoutes(app: StudioApp, ctx: Context): void {
  app.get(
    '/api/image-studio/health',
    {
      config: { public: true },
      schema: {
        tags: ['utility'],
        summary:
          'Service status; database, storage, queue, local models, modules and versions for signed-in callers',
        response: { 200: Health },
      },
    },
    async (request) => ctx.health.report(request.user !== undefined),
  );
}
