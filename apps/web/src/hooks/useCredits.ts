import { useQuery } from '@tanstack/react-query';
import { credits } from '../api/studio.ts';

export const creditsKey = ['credits'] as const;

export function useCredits() {
  return useQuery({ queryKey: creditsKey, queryFn: credits.summary, refetchInterval: 60_000 });
}

export function useCreditHistory(page: number) {
  return useQuery({
    queryKey: [...creditsKey, 'history', page],
    queryFn: () => credits.history(page),
    placeholderData: (previous) => previous,
  });
}
