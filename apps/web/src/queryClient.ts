import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { ApiError } from './api/client.ts';
import { isUnauthorized } from './api/errors.ts';
import { sessionHint } from './api/session.ts';
import { notifyError } from './components/notify.tsx';

declare module '@tanstack/react-query' {
  interface Register {
    defaultError: Error;
    queryMeta: { silent?: boolean };
    mutationMeta: { silent?: boolean };
  }
}

/** Called when the server says the session is gone; the app shell swaps to the login page. */
let onSignedOut: () => void = () => undefined;
export function setSignedOutHandler(handler: () => void): void {
  onSignedOut = handler;
}

function signedOut(error: unknown): boolean {
  if (isUnauthorized(error)) {
    sessionHint.clear();
    onSignedOut();
    return true;
  }
  return false;
}

export const queryClient: QueryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      refetchOnWindowFocus: false,
      retry: (count, error) =>
        count < 2 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
    },
  },
  queryCache: new QueryCache({
    onError: (error, query) => {
      if (signedOut(error) || query.meta?.silent) {
        return;
      }
      notifyError(error, () => void queryClient.refetchQueries({ queryKey: query.queryKey }));
    },
  }),
  mutationCache: new MutationCache({
    onError: (error, variables, _result, mutation) => {
      if (signedOut(error) || mutation.meta?.silent) {
        return;
      }
      notifyError(error, () => void mutation.execute(variables));
    },
  }),
});
