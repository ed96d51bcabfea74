import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { understanding } from '../api/understanding.ts';
import { notifyError } from '../components/notify.tsx';
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

/** Takes an automatic tag off: the drawer shows the answer at once, and searches are asked again. */
export function useRemoveAutoTag(id: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (label: string) => understanding.removeAutoTag(id, label),
    onSuccess: (analysis) => {
      client.setQueryData([...libraryKey, 'analysis', id], analysis);
      void client.invalidateQueries({ queryKey: [...libraryKey, 'list'] });
    },
    onError: (error) => notifyError(error, undefined, 'The tag could not be removed'),
  });
}
