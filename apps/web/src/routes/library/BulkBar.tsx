import { Affix, Button, Group, Menu, Paper, Text, Transition } from '@mantine/core';
import type { Collection } from '@studio/contracts';
import {
  IconDownload,
  IconFolder,
  IconHeart,
  IconHeartOff,
  IconRestore,
  IconTrash,
  IconX,
} from '@tabler/icons-react';
import { notifySuccess } from '../../components/notify.tsx';
import { useBulk, useBulkRestore, useZipDownload } from '../../hooks/useLibrary.ts';

/** Actions on the selected assets; in the trash: restore or delete for good. */
export function BulkBar({
  ids,
  trash,
  collections,
  onDone,
}: {
  ids: number[];
  trash: boolean;
  collections: Collection[];
  onDone: () => void;
}) {
  const bulk = useBulk();
  const restore = useBulkRestore();
  const zip = useZipDownload();
  const n = ids.length;
  const run = (
    action: Parameters<typeof bulk.mutate>[0]['action'],
    message: string,
    extra: { collectionId?: number | null; permanent?: boolean } = {},
  ) =>
    bulk.mutate(
      { action, ids, ...extra },
      {
        onSuccess: () => {
          notifySuccess(message);
          onDone();
        },
      },
    );
  return (
    <Affix position={{ bottom: 16, left: 16, right: 16 }} zIndex={150}>
      <Transition mounted={n > 0} transition="slide-up">
        {(style) => (
          <Paper
            withBorder
            shadow="lg"
            p="sm"
            maw={900}
            mx="auto"
            style={style}
            role="toolbar"
            aria-label="Bulk actions"
          >
            <Group justify="space-between" gap="xs">
              <Text size="sm" fw={600}>
                {n} selected
              </Text>
              <Group gap="xs">
                {trash ? (
                  <>
                    <Button
                      size="xs"
                      leftSection={<IconRestore size={16} />}
                      loading={restore.isPending}
                      onClick={() =>
                        restore.mutate(ids, {
                          onSuccess: () => {
                            notifySuccess(`Restored ${n} asset${n === 1 ? '' : 's'}.`);
                            onDone();
                          },
                        })
                      }
                    >
                      Restore
                    </Button>
                    <Button
                      size="xs"
                      color="red"
                      leftSection={<IconTrash size={16} />}
                      loading={bulk.isPending}
                      onClick={() => run('delete', `Deleted ${n} for good.`, { permanent: true })}
                    >
                      Delete for good
                    </Button>
                  </>
                ) : (
                  <>
                    <Button
                      size="xs"
                      variant="light"
                      leftSection={<IconDownload size={16} />}
                      loading={zip.isPending}
                      onClick={() => zip.mutate(ids)}
                    >
                      Download ZIP
                    </Button>
                    <Button
                      size="xs"
                      variant="light"
                      leftSection={<IconHeart size={16} />}
                      onClick={() => run('favorite', `Added ${n} to favorites.`)}
                    >
                      Favorite
                    </Button>
                    <Button
                      size="xs"
                      variant="light"
                      leftSection={<IconHeartOff size={16} />}
                      onClick={() => run('unfavorite', `Removed ${n} from favorites.`)}
                    >
                      Unfavorite
                    </Button>
                    <Menu>
                      <Menu.Target>
                        <Button size="xs" variant="light" leftSection={<IconFolder size={16} />}>
                          Move to
                        </Button>
                      </Menu.Target>
                      <Menu.Dropdown>
                        {collections.map((c) => (
                          <Menu.Item
                            key={c.id}
                            onClick={() => run('move', `Moved ${n} to ${c.name}.`, { collectionId: c.id })}
                          >
                            {c.name}
                          </Menu.Item>
                        ))}
                        <Menu.Item
                          onClick={() =>
                            run('move', `Took ${n} out of their collection.`, { collectionId: null })
                          }
                        >
                          No collection
                        </Menu.Item>
                      </Menu.Dropdown>
                    </Menu>
                    <Button
                      size="xs"
                      color="red"
                      variant="light"
                      leftSection={<IconTrash size={16} />}
                      onClick={() => run('delete', `Moved ${n} to the trash.`)}
                    >
                      Delete
                    </Button>
                  </>
                )}
                <Button size="xs" variant="subtle" leftSection={<IconX size={16} />} onClick={onDone}>
                  Clear
                </Button>
              </Group>
            </Group>
          </Paper>
        )}
      </Transition>
    </Affix>
  );
}
