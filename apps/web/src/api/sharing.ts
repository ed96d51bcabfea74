import { type BodyOf, client, ok } from './client.ts';

type ShareBody = BodyOf<'/api/share-links'>;
export type ShareOptions = Omit<ShareBody, 'collection_id' | 'asset_id'>;
export type ShareTarget = { collection_id: number } | { asset_id: number };

export const sharing = {
  create: (target: ShareTarget, options: ShareOptions) =>
    ok(client.POST('/api/share-links', { body: { ...target, ...options } })),
  list: () => ok(client.GET('/api/share-links')),
  revoke: (id: number) => ok(client.DELETE('/api/share-links/{id}', { params: { path: { id } } })),
  gallery: (token: string, grant: string | null) =>
    ok(
      client.GET('/api/public/shares/{token}', {
        params: { path: { token }, query: { grant: grant ?? undefined } },
      }),
    ),
  unlock: (token: string, password: string) =>
    ok(client.POST('/api/public/shares/{token}/unlock', { params: { path: { token } }, body: { password } })),
};
