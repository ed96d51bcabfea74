import { Credentials, LoginBody, Ok, User } from '@studio/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Context } from '../context.ts';
import { SESSION_COOKIE } from '../http/auth-hook.ts';
import { CREDENTIALS_BODY_LIMIT } from '../http/body-limits.ts';
import { type StudioApp, userOf } from '../http/types.ts';

function secureCookie(ctx: Context, request: FastifyRequest): boolean {
  if (ctx.config.cookieSecure !== 'auto') {
    return ctx.config.cookieSecure === 'true';
  }
  return request.protocol === 'https';
}

export function authRoutes(app: StudioApp, ctx: Context): void {
  const loginLimit = { max: ctx.config.loginRateLimitPerMinute, timeWindow: '1 minute' };

  const startSession = async (
    request: FastifyRequest,
    reply: FastifyReply,
    email: string,
    password: string,
  ) => {
    const { sessionSecret, user, expiresAt } = await ctx.auth.login(email, password);
    void reply.setCookie(SESSION_COOKIE, sessionSecret, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: secureCookie(ctx, request),
      expires: expiresAt,
    });
    return user;
  };

  app.post(
    '/api/auth/setup',
    {
      config: { public: true, rateLimit: loginLimit },
      bodyLimit: CREDENTIALS_BODY_LIMIT,
      schema: {
        tags: ['account'],
        summary: 'Create the first account (the admin) on a fresh install; 409 afterwards',
        body: Credentials,
        response: { 201: User },
      },
    },
    async (request, reply) => {
      await ctx.auth.setup(request.body.email, request.body.password);
      const user = await startSession(request, reply, request.body.email, request.body.password);
      return reply.status(201).send(user);
    },
  );

  app.post(
    '/api/auth/login',
    {
      config: { public: true, rateLimit: loginLimit },
      bodyLimit: CREDENTIALS_BODY_LIMIT,
      schema: {
        tags: ['account'],
        summary: 'Log in; sets the session cookie',
        body: LoginBody,
        response: { 200: User },
      },
    },
    async (request, reply) => startSession(request, reply, request.body.email, request.body.password),
  );

  app.post(
    '/api/auth/logout',
    { config: { public: true }, schema: { tags: ['account'], summary: 'Log out', response: { 200: Ok } } },
    async (request, reply) => {
      const cookie = request.cookies[SESSION_COOKIE];
      if (cookie) {
        await ctx.auth.logout(cookie);
      }
      void reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true as const };
    },
  );

  app.get(
    '/api/auth/me',
    { schema: { tags: ['account'], summary: 'The current user', response: { 200: User } } },
    async (request) => ctx.auth.me(userOf(request)),
  );

  app.post(
    '/api/users',
    {
      schema: {
        tags: ['account'],
        summary: 'Admin creates a user',
        body: Credentials,
        response: { 201: User },
      },
    },
    async (request, reply) => {
      const user = await ctx.auth.createUser(userOf(request), request.body.email, request.body.password);
      return reply.status(201).send(user);
    },
  );
}
