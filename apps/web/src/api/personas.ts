import { type BodyOf, client, ok } from './client.ts';

export type Persona = Awaited<ReturnType<typeof personas.create>>;
export type PersonaDraft = BodyOf<'/api/personas'>;

const byId = (id: number) => ({ params: { path: { id } } });

export const personas = {
  list: () => ok(client.GET('/api/personas')),
  create: (body: PersonaDraft) => ok(client.POST('/api/personas', { body })),
  update: (id: number, body: BodyOf<'/api/personas/{id}', 'patch'>) =>
    ok(client.PATCH('/api/personas/{id}', { ...byId(id), body })),
  remove: (id: number) => ok(client.DELETE('/api/personas/{id}', byId(id))),
};
