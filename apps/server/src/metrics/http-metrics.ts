import type { FastifyReply, FastifyRequest } from 'fastify';
import type { StudioMetrics } from './metrics.ts';

/**
 * An onResponse hook timing every answered request under its route pattern (`/api/jobs/:id`), so
 * ids never become labels; paths no route matched share one label.
 */
export function requestTimer(metrics: StudioMetrics) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const route = request.is404 ? 'unmatched' : (request.routeOptions.url ?? 'unmatched');
    metrics.request(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
  };
}
