import type { Credentials } from '@studio/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { auth } from '../api/endpoints.ts';
import { sessionHint } from '../api/session.ts';
import { healthKey } from './useHealth.ts';

export const meKey = ['me'] as const;

/** The signed-in user; not asked for at all when this browser has no sign-in hint. */
export function useMe() {
  return useQuery({
    queryKey: meKey,
    queryFn: auth.me,
    enabled: sessionHint.get(),
    staleTime: 5 * 60_000,
    meta: { silent: true },
  });
}

function useSignIn(call: (body: Credentials) => ReturnType<typeof auth.login>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: call,
    meta: { silent: true },
    onSuccess: (user) => {
      sessionHint.set();
      client.setQueryData(meKey, user);
      void client.invalidateQueries({ queryKey: healthKey });
    },
  });
}

export const useLogin = () => useSignIn(auth.login);
export const useSetup = () => useSignIn(auth.setup);

export function useLogout() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: auth.logout,
    onSettled: () => {
      sessionHint.clear();
      client.clear();
    },
  });
}
