import {
  ActionIcon,
  Badge,
  Button,
  Card,
  ColorSwatch,
  Group,
  Modal,
  SimpleGrid,
  Stack,
  Switch,
  TagsInput,
  Text,
  TextInput,
} from '@mantine/core';
import { IconEdit, IconPlus, IconTrash } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import { fieldErrors } from '../../api/fieldErrors.ts';
import type { Persona, PersonaDraft } from '../../api/personas.ts';
import { PageLoader } from '../../components/PageLoader.tsx';
import {
  useCreatePersona,
  useDeletePersona,
  usePersonas,
  useUpdatePersona,
} from '../../hooks/usePersonas.ts';

const EMPTY: PersonaDraft = {
  name: '',
  brand: '',
  tone: '',
  style_keywords: [],
  colors: [],
  avoid: [],
  is_default: false,
};

function PersonaForm({ initial, onClose }: { initial: Persona | null; onClose: () => void }) {
  const create = useCreatePersona();
  const update = useUpdatePersona();
  const [draft, setDraft] = useState<PersonaDraft>(initial ?? EMPTY);
  const mutation = initial ? update : create;
  const errors = fieldErrors(mutation.error);
  const set = <K extends keyof PersonaDraft>(key: K, value: PersonaDraft[K]) =>
    setDraft((d) => ({ ...d, [key]: value }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const body = { ...draft, brand: draft.brand || null, tone: draft.tone || null };
    if (initial) {
      update.mutate({ id: initial.id, patch: body }, { onSuccess: onClose });
    } else {
      create.mutate(body, { onSuccess: onClose });
    }
  };
  return (
    <form onSubmit={submit}>
      <Stack>
        <TextInput
          label="Name"
          required
          value={draft.name}
          error={errors.name}
          onChange={(e) => set('name', e.currentTarget.value)}
        />
        <TextInput
          label="Brand"
          value={draft.brand ?? ''}
          onChange={(e) => set('brand', e.currentTarget.value)}
        />
        <TextInput
          label="Tone"
          placeholder="warm, optimistic, premium"
          value={draft.tone ?? ''}
          onChange={(e) => set('tone', e.currentTarget.value)}
        />
        <TagsInput
          label="Style keywords"
          description="Added to every prompt that uses this persona. Press Enter after each."
          value={draft.style_keywords ?? []}
          onChange={(v) => set('style_keywords', v)}
        />
        <TagsInput
          label="Brand colours"
          description="#rrggbb hex codes"
          value={draft.colors ?? []}
          error={errors.colors ?? Object.entries(errors).find(([k]) => /^\d+$/.test(k))?.[1]}
          onChange={(v) => set('colors', v)}
        />
        <TagsInput
          label="Avoid"
          description="Added to the negative prompt."
          value={draft.avoid ?? []}
          onChange={(v) => set('avoid', v)}
        />
        <Switch
          label="Default persona"
          checked={draft.is_default ?? false}
          onChange={(e) => set('is_default', e.currentTarget.checked)}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={mutation.isPending} disabled={!draft.name.trim()}>
            Save persona
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function PersonasPanel() {
  const list = usePersonas();
  const remove = useDeletePersona();
  const [editing, setEditing] = useState<Persona | 'new' | null>(null);
  if (list.isPending) {
    return <PageLoader />;
  }
  const personas = list.data?.personas ?? [];
  return (
    <Stack>
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          A persona keeps generated images on brand: tone, look, colours and things to avoid.
        </Text>
        <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')}>
          New persona
        </Button>
      </Group>
      {personas.length === 0 ? (
        <Text size="sm" c="dimmed">
          No personas yet.
        </Text>
      ) : (
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
          {personas.map((p) => (
            <Card key={p.id} withBorder>
              <Group justify="space-between" wrap="nowrap">
                <Group gap="xs">
                  <Text fw={600}>{p.name}</Text>
                  {p.is_default && <Badge size="xs">Default</Badge>}
                </Group>
                <Group gap={4}>
                  <ActionIcon variant="subtle" aria-label={`Edit ${p.name}`} onClick={() => setEditing(p)}>
                    <IconEdit size={16} />
                  </ActionIcon>
                  <ActionIcon
                    variant="subtle"
                    color="red"
                    aria-label={`Delete ${p.name}`}
                    onClick={() => remove.mutate(p.id)}
                  >
                    <IconTrash size={16} />
                  </ActionIcon>
                </Group>
              </Group>
              {p.brand && <Text size="sm">{p.brand}</Text>}
              {p.tone && (
                <Text size="sm" c="dimmed">
                  {p.tone}
                </Text>
              )}
              <Group gap={4} mt="xs">
                {p.colors.map((c) => (
                  <ColorSwatch key={c} color={c} size={18} aria-label={c} />
                ))}
                {p.style_keywords.map((k) => (
                  <Badge key={k} size="xs" variant="light">
                    {k}
                  </Badge>
                ))}
              </Group>
            </Card>
          ))}
        </SimpleGrid>
      )}
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing === 'new' ? 'New persona' : 'Edit persona'}
        size="lg"
      >
        {editing !== null && (
          <PersonaForm initial={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />
        )}
      </Modal>
    </Stack>
  );
}
