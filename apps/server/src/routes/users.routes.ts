import {
  AdminCreateUserBody,
  AdminUpdateUserBody,
  AdminUser,
  AdminUserList,
  ChangePasswordBody,
  DeleteUserBody,
  IdParam,
  Ok,
  ResetPasswordBody,
  SessionIdParam,
  SessionList,
} from '@studio/contracts';
import type { FastifyRequest } from 'fastify';
import type { Context } from '../context.ts';
import { SESSION_COOKIE } from '../http/auth-hook.ts';
import { type StudioApp, userOf } from '../http/types.ts';

const ok = { ok: true as const };
const sessionOf = (request: FastifyRequest): string | undefined => request.cookies[SESSION_COOKIE];

/** The admin's user management and every user's own password and sessions. */
export function userRoutes(app: StudioApp, ctx: Context): void {
  app.get(
    '/api/admin/users',
    { schema: { tags: ['admin'], summary: 'Every user (admin)', response: { 200: AdminUserList } } },
    async (request) => ({ users: await ctx.userAdmin.list(userOf(request)) }),
  );

  app.post(
    '/api/admin/users',
    {
      schema: {
        tags: ['admin'],
        summary: 'Create a user with a role and plan (admin)',
        body: AdminCreateUserBody,
        response: { 201: AdminUser },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await ctx.userAdmin.create(userOf(request), request.body)),
  );

  app.patch(
    '/api/admin/users/:id',
    {
      schema: {
        tags: ['admin'],
        summary:
          'Change a role or disable/enable a user (admin); disabling ends their sessions and stops their tokens; 409 `last_admin` for the last active admin',
        params: IdParam,
        body: AdminUpdateUserBody,
        response: { 200: AdminUser },
      },
    },
    async (request) => ctx.userAdmin.update(userOf(request), request.params.id, request.body),
  );

  app.post(
    '/api/admin/users/:id/password',
    {
      schema: {
        tags: ['admin'],
        summary: "Set a user's password (admin); their sessions end",
        params: IdParam,
        body: ResetPasswordBody,
        response: { 200: Ok },
      },
    },
    async (request) => {
      await ctx.userAdmin.resetPassword(userOf(request), request.params.id, request.body.password);
      return ok;
    },
  );

  app.delete(
    '/api/admin/users/:id',
    {
      schema: {
        tags: ['admin'],
        summary: 'Delete a user with their assets (admin); `confirm` must be their email',
        params: IdParam,
        body: DeleteUserBody,
        response: { 200: Ok },
      },
    },
    async (request) => {
      await ctx.userAdmin.delete(userOf(request), request.params.id, request.body.confirm);
      return ok;
    },
  );

  app.post(
    '/api/account/password',
    {
      schema: {
        tags: ['account'],
        summary: 'Change your password (needs the current one); your other sessions end',
        body: ChangePasswordBody,
        response: { 200: Ok },
      },
    },
    async (request) => {
      const { current_password, new_password } = request.body;
      await ctx.account.changePassword(userOf(request), sessionOf(request), current_password, new_password);
      return ok;
    },
  );

  app.get(
    '/api/account/sessions',
    { schema: { tags: ['account'], summary: 'Your signed-in sessions', response: { 200: SessionList } } },
    async (request) => ({ sessions: await ctx.account.listSessions(userOf(request), sessionOf(request)) }),
  );

  app.delete(
    '/api/account/sessions/:id',
    {
      schema: {
        tags: ['account'],
        summary: 'End one of your sessions',
        params: SessionIdParam,
        response: { 200: Ok },
      },
    },
    async (request) => {
      await ctx.account.endSession(userOf(request), request.params.id);
      return ok;
    },
  );

  app.post(
    '/api/account/sessions/end-others',
    {
      schema: { tags: ['account'], summary: 'End every session but this one', response: { 200: Ok } },
    },
    async (request) => {
      await ctx.account.endOtherSessions(userOf(request), sessionOf(request));
      return ok;
    },
  );
}
