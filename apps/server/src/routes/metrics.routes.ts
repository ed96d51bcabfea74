import type { Context } from '../context.ts';
import { forbidden } from '../errors.ts';
import type { StudioApp } from '../http/types.ts';

export function metricsRoutes(app: StudioApp, ctx: Context) {
  app.get(
    '/metrics',
    {
      config: { metricsToken: true },
      schema: {
        tags: ['operations'],
        summary:
          'Prometheus metrics (text format) for an admin, or for the METRICS_TOKEN bearer; 403 for other users',
      },
    },
    async (request, reply) => {
      // No user means the auth hook accepted the METRICS_TOKEN bearer.
      if (request.user && request.user.role !== 'admin') {
        throw forbidden('Only an admin can read the metrics.');
      }
      return reply.type(ctx.metrics.contentType).send(await ctx.metrics.text());
    },
  );
}
