import type { SharedGallery, ShareLink, ShareLinkCreated, ShareLinkList } from '@studio/contracts';
import { api } from './client.ts';

export interface ShareOptions {
  expires_in_days: number;
  password?: string;
  allow_download: boolean;
}

export type ShareTarget = { collection_id: number } | { asset_id: number };

export const sharing = {
  create: (target: ShareTarget, options: ShareOptions) =>
    api<ShareLinkCreated>('/api/share-links', { method: 'POST', body: { ...target, ...options } }),
  list: () => api<ShareLinkList>('/api/share-links'),
  revoke: (id: number) => api<ShareLink>(`/api/share-links/${id}`, { method: 'DELETE' }),
  gallery: (token: string, grant: string | null) =>
    api<SharedGallery>(`/api/public/shares/${token}`, { query: { grant } }),
  unlock: (token: string, password: string) =>
    api<{ grant: string; expires_at: string }>(`/api/public/shares/${token}/unlock`, {
      method: 'POST',
      body: { password },
    }),
};
