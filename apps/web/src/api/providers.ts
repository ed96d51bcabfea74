import { client, ok, type Schemas } from './client.ts';

export type ProviderInfoT = Schemas['ProviderInfo'];
export type ProviderModelT = ProviderInfoT['models'][number];
export type ProviderKeyStatusT = Schemas['ProviderKeyStatus'];
export type CloudProvider = ProviderKeyStatusT['provider'];

const byProvider = (provider: CloudProvider) => ({ params: { path: { provider } } });

export const providers = {
  list: () => ok(client.GET('/api/image-studio/providers')),
  keys: () => ok(client.GET('/api/provider-keys')),
  saveKey: (provider: CloudProvider, apiKey: string) =>
    ok(client.PUT('/api/provider-keys/{provider}', { ...byProvider(provider), body: { api_key: apiKey } })),
  removeKey: (provider: CloudProvider) =>
    ok(client.DELETE('/api/provider-keys/{provider}', byProvider(provider))),
  testKey: (provider: CloudProvider, apiKey?: string) =>
    ok(
      client.POST('/api/provider-keys/{provider}/test', {
        ...byProvider(provider),
        body: apiKey ? { api_key: apiKey } : {},
      }),
    ),
};

/** Providers that can run an operation; `prefix` is `create` or a family such as `edit.`. */
export function supporting(list: ProviderInfoT[], prefix: string): ProviderInfoT[] {
  return list.filter((p) =>
    p.capabilities.some((c) => (prefix.endsWith('.') ? c.startsWith(prefix) : c === prefix)),
  );
}
