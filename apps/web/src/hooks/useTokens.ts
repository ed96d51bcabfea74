import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { tokens } from '../api/endpoints.ts';

const tokensKey = ['tokens'] as const;

export function useTokens() {
  return useQuery({ queryKey: tokensKey, queryFn: tokens.list });
}

export function useCreateToken() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: tokens.create,
    onSuccess: () => void client.invalidateQueries({ queryKey: tokensKey }),
  });
}

export function useRevokeToken() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: tokens.revoke,
    onSuccess: () => void client.invalidateQueries({ queryKey: tokensKey }),
  });
}
