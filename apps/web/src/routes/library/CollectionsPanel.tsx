import {
  ActionIcon,
  Button,
  Card,
  Group,
  Image,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  UnstyledButton,
} from '@mantine/core';
import type { Collection } from '@studio/contracts';
import { IconFolder, IconShare, IconTrash } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import { useCreateCollection, useDeleteCollection } from '../../hooks/useLibrary.ts';
import { ShareDialog } from './ShareDialog.tsx';

export function CollectionsPanel({
  collections,
  onOpen,
}: {
  collections: Collection[];
  onOpen: (id: number) => void;
}) {
  const create = useCreateCollection();
  const remove = useDeleteCollection();
  const [name, setName] = useState('');
  const [sharing, setSharing] = useState<Collection | null>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ name: name.trim() }, { onSuccess: () => setName('') });
  };
  return (
    <Stack>
      <form onSubmit={submit}>
        <Group align="flex-end">
          <TextInput
            label="New collection"
            placeholder="e.g. Spring campaign"
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            style={{ flex: '1 1 220px' }}
          />
          <Button type="submit" disabled={!name.trim()} loading={create.isPending}>
            Create
          </Button>
        </Group>
      </form>
      {collections.length === 0 ? (
        <Text c="dimmed" size="sm">
          No collections yet. Create one, then select assets and use “Move to”.
        </Text>
      ) : (
        <SimpleGrid cols={{ base: 2, sm: 3, md: 4 }}>
          {collections.map((c) => (
            <Card key={c.id} withBorder padding="xs">
              <Card.Section>
                <UnstyledButton
                  onClick={() => onOpen(c.id)}
                  aria-label={`Open collection ${c.name}`}
                  display="block"
                  w="100%"
                >
                  {c.cover_thumbnail_url ? (
                    <Image src={c.cover_thumbnail_url} alt="" h={120} fit="cover" />
                  ) : (
                    <Group h={120} justify="center" bg="var(--mantine-color-default-hover)">
                      <IconFolder size={40} aria-hidden />
                    </Group>
                  )}
                </UnstyledButton>
              </Card.Section>
              <Group justify="space-between" mt="xs" wrap="nowrap">
                <div style={{ minWidth: 0 }}>
                  <Text size="sm" fw={600} truncate>
                    {c.name}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {c.asset_count} asset{c.asset_count === 1 ? '' : 's'}
                  </Text>
                </div>
                <ActionIcon
                  variant="subtle"
                  aria-label={`Share collection ${c.name}`}
                  onClick={() => setSharing(c)}
                >
                  <IconShare size={16} />
                </ActionIcon>
                <ActionIcon
                  variant="subtle"
                  color="red"
                  aria-label={`Delete collection ${c.name}`}
                  onClick={() => remove.mutate(c.id)}
                >
                  <IconTrash size={16} />
                </ActionIcon>
              </Group>
            </Card>
          ))}
        </SimpleGrid>
      )}
      <ShareDialog
        target={sharing && { collection_id: sharing.id }}
        name={sharing?.name ?? ''}
        onClose={() => setSharing(null)}
      />
    </Stack>
  );
}
