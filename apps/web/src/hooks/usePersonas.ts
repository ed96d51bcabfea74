import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type PersonaDraft, personas } from '../api/personas.ts';

const personasKey = ['personas'] as const;

export function usePersonas() {
  return useQuery({ queryKey: personasKey, queryFn: personas.list });
}

function usePersonaMutation<V, R>(fn: (v: V) => Promise<R>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => void client.invalidateQueries({ queryKey: personasKey }),
  });
}

export const useCreatePersona = () => usePersonaMutation((v: PersonaDraft) => personas.create(v));
export const useUpdatePersona = () =>
  usePersonaMutation((v: { id: number; patch: Parameters<typeof personas.update>[1] }) =>
    personas.update(v.id, v.patch),
  );
export const useDeletePersona = () => usePersonaMutation(personas.remove);
