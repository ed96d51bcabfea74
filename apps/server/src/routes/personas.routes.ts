import { IdParam, Ok, Persona, PersonaInput, PersonaList, PersonaPatch } from '@studio/contracts';
import type { Context } from '../context.ts';
import { type StudioApp, userOf } from '../http/types.ts';

export function personaRoutes(app: StudioApp, ctx: Context): void {
  app.get(
    '/api/personas',
    { schema: { tags: ['create'], summary: 'Your brand personas', response: { 200: PersonaList } } },
    async (request) => ({ personas: await ctx.personas.list(userOf(request).id) }),
  );
  app.post(
    '/api/personas',
    {
      schema: {
        tags: ['create'],
        summary: 'Save a brand persona',
        body: PersonaInput,
        response: { 201: Persona },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await ctx.personas.create(userOf(request).id, request.body)),
  );
  app.get(
    '/api/personas/:id',
    { schema: { tags: ['create'], summary: 'One persona', params: IdParam, response: { 200: Persona } } },
    async (request) => ctx.personas.get(userOf(request).id, request.params.id),
  );
  app.patch(
    '/api/personas/:id',
    {
      schema: {
        tags: ['create'],
        summary: 'Change a persona',
        params: IdParam,
        body: PersonaPatch,
        response: { 200: Persona },
      },
    },
    async (request) => ctx.personas.update(userOf(request).id, request.params.id, request.body),
  );
  app.delete(
    '/api/personas/:id',
    { schema: { tags: ['create'], summary: 'Delete a persona', params: IdParam, response: { 200: Ok } } },
    async (request) => {
      await ctx.personas.delete(userOf(request).id, request.params.id);
      return { ok: true as const };
    },
  );
}
