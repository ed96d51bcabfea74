import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyMultipart from '@fastify/multipart';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type RouteOptions } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Config } from './config.ts';
import type { Context } from './context.ts';
import { AppError } from './errors.ts';
import { authHook } from './http/auth-hook.ts';
import { imageRouteBodyLimits, JSON_BODY_LIMIT } from './http/body-limits.ts';
import { errorBody, handleError } from './http/error-handler.ts';
import { foregroundHook } from './http/foreground-hook.ts';
import { parseJsonBodies } from './http/json-body.ts';
import { rateLimitOptions } from './http/rate-limit.ts';
import { securityHeaders } from './http/security-headers.ts';
import type { StudioApp } from './http/types.ts';
import { requestTimer } from './metrics/http-metrics.ts';
import { routeModules } from './routes/index.ts';
import { scopeRequest } from './util/log-scope.ts';

export interface BuildOptions {
  /** Sees every route as it is registered (the route-walk test collects them). */
  onRoute?: (route: RouteOptions) => void;
}

/** Fastify's types take a hop count only as the function it stands for: trust the first `n` hops. */
const trustProxy = (setting: Config['trustProxy']) =>
  typeof setting === 'number' ? (_address: string, hop: number) => hop < setting : setting;

/**
 * Builds the HTTP server around a context. Every route goes through the same chain:
 * request id → auth (and the cross-site check) → rate limit → zod validation → handler → one error shape.
 */
export async function buildApp(ctx: Context, options: BuildOptions = {}): Promise<StudioApp> {
  const { config } = ctx;
  const app = Fastify({
    loggerInstance: ctx.log,
    bodyLimit: JSON_BODY_LIMIT,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{8,64}$/.test(given) ? given : randomUUID();
    },
    trustProxy: trustProxy(config.trustProxy),
    // Errors the router raises before a route runs (a too-long or undecodable path) get the one shape too.
    frameworkErrors: handleError,
  }).withTypeProvider<ZodTypeProvider>();

  parseJsonBodies(app);
  app.addHook('onRoute', imageRouteBodyLimits(config.limits));
  if (options.onRoute) {
    app.addHook('onRoute', options.onRoute);
  }

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(handleError);
  app.addHook('onSend', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });
  app.addHook('onSend', securityHeaders);
  app.addHook('onResponse', requestTimer(ctx.metrics));
  app.addHook('onRequest', foregroundHook(ctx.foreground));
  // So a failure that escapes a request (logged by crash-guard.ts) still names the request.
  app.addHook('onRequest', scopeRequest);

  await app.register(fastifyCookie);
  await app.register(fastifyMultipart, {
    limits: { fileSize: config.limits.maxUploadBytes, files: 4, fields: 50 },
    throwFileSizeLimit: true,
  });
  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'Image Studio API',
        version: '1.0.0',
        description:
          'Create, edit, upscale and publish images. Authenticate with `Authorization: Bearer <token>` ' +
          '(create one under Settings → API tokens) or the session cookie. Errors always have the shape ' +
          '`{error: {code, message, details?}, requestId}`.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });

  app.addHook('onRequest', authHook(ctx.auth, config.publicUrl, config.metrics.token));
  await app.register(fastifyRateLimit, rateLimitOptions(config, ctx.redis));

  for (const register of routeModules) {
    register(app, ctx);
  }

  const indexHtml = path.join(config.webDistDir, 'index.html');
  const hasWeb = fs.existsSync(indexHtml);
  if (hasWeb) {
    await app.register(async (web) => {
      // The built web app is public; every other route needs auth unless it says otherwise.
      web.addHook('onRoute', (route) => {
        route.config = { ...route.config, public: true };
      });
      await web.register(fastifyStatic, { root: config.webDistDir, wildcard: false, index: false });
    });
  } else {
    ctx.log.warn({ dir: config.webDistDir }, 'web app not built; run `npm run build` to serve it');
  }
  app.setNotFoundHandler(async (request, reply) => {
    if (request.url.startsWith('/api/') || !hasWeb || request.method !== 'GET') {
      return reply
        .status(404)
        .send(
          errorBody(
            new AppError(404, 'route_not_found', `No route ${request.method} ${request.url.split('?')[0]}.`),
            request.id,
          ),
        );
    }
    // Client-side routes of the single-page app all load the same document.
    return reply.type('text/html').header('cache-control', 'no-cache').send(fs.createReadStream(indexHtml));
  });

  return app;
}
