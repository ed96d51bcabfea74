import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Foreground } from '../util/foreground.ts';

/**
 * An `onRequest` hook: a request to a route that takes images counts as foreground work from its
 * start until its response is sent or its connection closes.
 */
export function foregroundHook(foreground: Foreground) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (!request.routeOptions.config.imageBody) return;
    reply.raw.once('close', foreground.begin());
  };
}
