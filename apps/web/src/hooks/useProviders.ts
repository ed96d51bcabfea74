import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type CloudProvider, providers } from '../api/providers.ts';

const providersKey = ['providers'] as const;
const keysKey = ['provider-keys'] as const;

/** Providers with per-user availability; polled so health (circuit breaker) stays current. */
export function useProviders() {
  return useQuery({ queryKey: providersKey, queryFn: providers.list, refetchInterval: 60_000 });
}

export function useProviderKeys() {
  return useQuery({ queryKey: keysKey, queryFn: providers.keys });
}

function useKeyMutation<V, R>(fn: (v: V) => Promise<R>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSettled: () => {
      void client.invalidateQueries({ queryKey: keysKey });
      void client.invalidateQueries({ queryKey: providersKey });
    },
  });
}

export const useSaveKey = () =>
  useKeyMutation((v: { provider: CloudProvider; apiKey: string }) => providers.saveKey(v.provider, v.apiKey));
export const useRemoveKey = () => useKeyMutation(providers.removeKey);
export const useTestKey = () =>
  useKeyMutation((v: { provider: CloudProvider; apiKey?: string }) =>
    providers.testKey(v.provider, v.apiKey),
  );
