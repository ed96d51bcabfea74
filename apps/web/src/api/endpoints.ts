import type { ApiToken, Asset, CreatedToken, Credentials, Health, Job, Ok, User } from '@studio/contracts';
import type { z } from 'zod';
import { client, ok, urlOf } from './client.ts';

export type CreatedTokenT = z.infer<typeof CreatedToken>;
export type OkT = z.infer<typeof Ok>;
export type { ApiToken, Asset, Health, Job, User };

export const health = () => ok(client.GET('/api/image-studio/health'));

export const auth = {
  setup: (body: Credentials) => ok(client.POST('/api/auth/setup', { body })),
  login: (body: Credentials) => ok(client.POST('/api/auth/login', { body })),
  logout: () => ok(client.POST('/api/auth/logout')),
  me: () => ok(client.GET('/api/auth/me')),
};

export const tokens = {
  list: () => ok(client.GET('/api/tokens')),
  create: (body: { name: string; expires_in_days?: number }) => ok(client.POST('/api/tokens', { body })),
  revoke: (id: number) => ok(client.DELETE('/api/tokens/{id}', { params: { path: { id } } })),
};

export const jobs = {
  active: () => ok(client.GET('/api/jobs', { params: { query: { status: 'active', limit: 20 } } })),
  get: (id: string) => ok(client.GET('/api/jobs/{id}', { params: { path: { id } } })),
  cancel: (id: string) => ok(client.POST('/api/jobs/{id}/cancel', { params: { path: { id } } })),
  /** The job's server-sent events (EventSource follows it; the stream ends with the job). */
  eventsUrl: (id: string) => urlOf('/api/jobs/{id}/events', { id }),
};

/** What `<img>` and download links load (same origin, so the session cookie goes along). */
export const assetUrls = {
  file: (id: number, download = false) =>
    urlOf('/api/content-assets/{id}/file', { id }, { download: download || undefined }),
  thumbnail: (id: number, size: 'small' | 'large' = 'small') =>
    urlOf('/api/content-assets/{id}/thumbnail', { id }, { size }),
};
