import { useQuery } from '@tanstack/react-query';
import { health } from '../api/endpoints.ts';

export const healthKey = ['health'] as const;

/** Service status; polled so the dashboard's status stays live. */
export function useHealth() {
  return useQuery({ queryKey: healthKey, queryFn: health, refetchInterval: 30_000 });
}
