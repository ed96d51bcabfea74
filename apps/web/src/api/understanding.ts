import { client, ok } from './client.ts';

export const understanding = {
  analysis: (id: number) => ok(client.GET('/api/content-assets/{id}/analysis', { params: { path: { id } } })),
  duplicates: () => ok(client.GET('/api/content-assets/duplicates')),
  removeAutoTag: (id: number, label: string) =>
    ok(client.DELETE('/api/content-assets/{id}/auto-tags/{label}', { params: { path: { id, label } } })),
};
