import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ShareOptions, type ShareTarget, sharing } from '../api/sharing.ts';

const LINKS = ['share-links'] as const;

export const useShareLinks = () => useQuery({ queryKey: LINKS, queryFn: sharing.list });

export function useCreateShareLink() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ target, options }: { target: ShareTarget; options: ShareOptions }) =>
      sharing.create(target, options),
    onSuccess: () => client.invalidateQueries({ queryKey: LINKS }),
  });
}

export function useRevokeShareLink() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: sharing.revoke,
    onSuccess: () => client.invalidateQueries({ queryKey: LINKS }),
  });
}
