import type { Persona, PersonaInput, PersonaList, PersonaPatch } from '@studio/contracts';
import type { z } from 'zod';
import { api } from './client.ts';

export type { Persona };
export type PersonaDraft = Partial<PersonaInput> & Pick<PersonaInput, 'name'>;

export const personas = {
  list: () => api<z.infer<typeof PersonaList>>('/api/personas'),
  create: (body: PersonaDraft) => api<Persona>('/api/personas', { method: 'POST', body }),
  update: (id: number, body: z.infer<typeof PersonaPatch>) =>
    api<Persona>(`/api/personas/${id}`, { method: 'PATCH', body }),
  remove: (id: number) => api<unknown>(`/api/personas/${id}`, { method: 'DELETE' }),
};
