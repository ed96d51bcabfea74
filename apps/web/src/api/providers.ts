import type {
  ProviderInfo,
  ProviderKeyList,
  ProviderKeyStatus,
  ProviderKeyTestResult,
  ProviderListResponse,
} from '@studio/contracts';
import type { z } from 'zod';
import { api } from './client.ts';

export type ProviderInfoT = z.infer<typeof ProviderInfo>;
export type ProviderModelT = ProviderInfoT['models'][number];
export type ProviderKeyStatusT = z.infer<typeof ProviderKeyStatus>;
export type CloudProvider = ProviderKeyStatusT['provider'];

export const providers = {
  list: () => api<z.infer<typeof ProviderListResponse>>('/api/image-studio/providers'),
  keys: () => api<z.infer<typeof ProviderKeyList>>('/api/provider-keys'),
  saveKey: (provider: CloudProvider, apiKey: string) =>
    api<ProviderKeyStatusT>(`/api/provider-keys/${provider}`, { method: 'PUT', body: { api_key: apiKey } }),
  removeKey: (provider: CloudProvider) =>
    api<unknown>(`/api/provider-keys/${provider}`, { method: 'DELETE' }),
  testKey: (provider: CloudProvider, apiKey?: string) =>
    api<z.infer<typeof ProviderKeyTestResult>>(`/api/provider-keys/${provider}/test`, {
      method: 'POST',
      body: apiKey ? { api_key: apiKey } : {},
    }),
};

/** Providers that can run an operation; `prefix` is `create` or a family such as `edit.`. */
export function supporting(list: ProviderInfoT[], prefix: string): ProviderInfoT[] {
  return list.filter((p) =>
    p.capabilities.some((c) => (prefix.endsWith('.') ? c.startsWith(prefix) : c === prefix)),
  );
}
