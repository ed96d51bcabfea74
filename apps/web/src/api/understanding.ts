import type { AssetAnalysis, DuplicateList } from '@studio/contracts';
import { api } from './client.ts';

export const understanding = {
  analysis: (id: number) => api<AssetAnalysis>(`/api/content-assets/${id}/analysis`),
  duplicates: () => api<DuplicateList>('/api/content-assets/duplicates'),
};
