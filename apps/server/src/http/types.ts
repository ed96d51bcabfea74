import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyBaseLogger, FastifyInstance, FastifyRequest, RawServerDefault } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AuthUser } from '../auth/auth.service.ts';
import { unauthorized } from '../errors.ts';

export type StudioApp = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  ZodTypeProvider
>;

declare module 'fastify' {
  interface FastifyRequest {
    user?: AuthUser;
  }
  interface FastifyContextConfig {
    /** Reachable without a session or token (health, setup, login, logout). */
    public?: boolean;
    /** Takes images inside its JSON body (base64): the one kind of route given the upload-sized body limit. */
    imageBody?: boolean;
    /** Also answers the METRICS_TOKEN bearer, with no user (GET /metrics for a Prometheus scraper). */
    metricsToken?: boolean;
  }
}

/** The authenticated caller; the auth hook has already rejected anonymous calls to private routes. */
export function userOf(request: FastifyRequest): AuthUser {
  if (!request.user) {
    throw unauthorized();
  }
  return request.user;
}
