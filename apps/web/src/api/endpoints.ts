import type {
  ApiToken,
  Asset,
  CreatedToken,
  Credentials,
  Health,
  Job,
  JobList,
  Ok,
  TokenList,
  User,
} from '@studio/contracts';
import type { z } from 'zod';
import { api } from './client.ts';

export type CreatedTokenT = z.infer<typeof CreatedToken>;
export type OkT = z.infer<typeof Ok>;
export type { ApiToken, Asset, Health, Job, User };

export const health = () => api<Health>('/api/image-studio/health');

export const auth = {
  setup: (body: Credentials) => api<User>('/api/auth/setup', { method: 'POST', body }),
  login: (body: Credentials) => api<User>('/api/auth/login', { method: 'POST', body }),
  logout: () => api<OkT>('/api/auth/logout', { method: 'POST', body: {} }),
  me: () => api<User>('/api/auth/me'),
};

export const tokens = {
  list: () => api<z.infer<typeof TokenList>>('/api/tokens'),
  create: (body: { name: string; expires_in_days?: number }) =>
    api<CreatedTokenT>('/api/tokens', { method: 'POST', body }),
  revoke: (id: number) => api<OkT>(`/api/tokens/${id}`, { method: 'DELETE' }),
};

export const jobs = {
  active: () => api<JobList>('/api/jobs?status=active&limit=20'),
  get: (id: string) => api<Job>(`/api/jobs/${id}`),
  cancel: (id: string) => api<Job>(`/api/jobs/${id}/cancel`, { method: 'POST', body: {} }),
};

export const assetUrls = {
  file: (id: number, download = false) => `/api/content-assets/${id}/file${download ? '?download=true' : ''}`,
  thumbnail: (id: number, size: 'small' | 'large' = 'small') =>
    `/api/content-assets/${id}/thumbnail?size=${size}`,
};
