import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { account, users } from '../../api/users.ts';
import { meKey } from '../../hooks/useAuth.ts';

const usersKey = ['admin-users'] as const;
const sessionsKey = ['sessions'] as const;

export function useUsers() {
  return useQuery({ queryKey: usersKey, queryFn: users.list });
}

/** Any admin change to a user: the list, the admin's own credits badge and role are fetched again. */
export function useUserAction<V, R>(run: (vars: V) => Promise<R>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: usersKey });
      void client.invalidateQueries({ queryKey: ['credits'] });
      // The admin may have changed their own role.
      void client.invalidateQueries({ queryKey: meKey });
    },
  });
}

export function usePlans() {
  return useQuery({ queryKey: ['plans'], queryFn: users.plans, staleTime: Number.POSITIVE_INFINITY });
}

export function useSessions() {
  return useQuery({ queryKey: sessionsKey, queryFn: account.sessions });
}

export function useSessionAction<V, R>(run: (vars: V) => Promise<R>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSuccess: () => void client.invalidateQueries({ queryKey: sessionsKey }),
  });
}
