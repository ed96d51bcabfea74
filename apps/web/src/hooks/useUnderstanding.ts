import { useQuery } from '@tanstack/react-query';
import { understanding } from '../api/understanding.ts';
import { libraryKey } from './useLibrary.ts';

export function useAnalysis(id: number | null) {
  return useQuery({
    queryKey: [...libraryKey, 'analysis', id],
    queryFn: () => understanding.analysis(id ?? 0),
    enabled: id !== null,
    // A new image is analysed a moment after it is saved: look again until it is.
    refetchInterval: (query) => (query.state.data?.status === 'pending' ? 3_000 : false),
  });
}

export const useDuplicates = (enabled: boolean) =>
  useQuery({
    queryKey: [...libraryKey, 'duplicates'],
    queryFn: understanding.duplicates,
    enabled,
    // Images still being analysed may yet join a group.
    refetchInterval: (query) => ((query.state.data?.pending ?? 0) > 0 ? 3_000 : false),
  });
