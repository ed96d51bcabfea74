import { Badge, Button, Card, Group, Image, Radio, SimpleGrid, Stack, Text } from '@mantine/core';
import type { DuplicateGroup } from '@studio/contracts';
import { useState } from 'react';
import { assetUrls } from '../../api/endpoints.ts';
import { notifyError, notifySuccess } from '../../components/notify.tsx';
import { PageLoader } from '../../components/PageLoader.tsx';
import { useBulk } from '../../hooks/useLibrary.ts';
import { useDuplicates } from '../../hooks/useUnderstanding.ts';

/** One group: pick the copy to keep; the others go to the trash (restorable from there). */
function GroupCard({ group, onOpen }: { group: DuplicateGroup; onOpen: (id: number) => void }) {
  const [keep, setKeep] = useState(String(group.asset_ids[0]));
  const bulk = useBulk();
  const others = group.asset_ids.filter((id) => String(id) !== keep);
  const label = group.kind === 'exact' ? 'Exact copies' : 'Similar images';
  return (
    <Card withBorder data-testid={`duplicate-group-${group.kind}`}>
      <Stack gap="xs">
        <Group justify="space-between">
          <Group gap="xs">
            <Badge color={group.kind === 'exact' ? 'red' : 'yellow'} variant="light">
              {label}
            </Badge>
            <Text size="sm" c="dimmed">
              {group.asset_ids.length} images
            </Text>
          </Group>
          <Button
            size="compact-sm"
            color="red"
            variant="light"
            loading={bulk.isPending}
            onClick={() =>
              bulk.mutate(
                { action: 'delete', ids: others },
                {
                  onSuccess: () => notifySuccess(`${others.length} moved to the trash.`),
                  onError: (e) => notifyError(e),
                },
              )
            }
          >
            Keep the chosen one, trash {others.length}
          </Button>
        </Group>
        <Radio.Group value={keep} onChange={setKeep} aria-label={`${label}: which to keep`}>
          <SimpleGrid cols={{ base: 2, sm: 4, md: 6 }} spacing="xs">
            {group.asset_ids.map((id) => (
              <Stack key={id} gap={4}>
                <Image
                  src={assetUrls.thumbnail(id)}
                  alt={`Asset ${id}`}
                  h={110}
                  fit="cover"
                  radius="sm"
                  style={{ cursor: 'pointer' }}
                  onClick={() => onOpen(id)}
                />
                <Radio value={String(id)} label={`Keep #${id}`} />
              </Stack>
            ))}
          </SimpleGrid>
        </Radio.Group>
      </Stack>
    </Card>
  );
}

/** Exact copies and similar images of the library, to review and keep one of each. */
export function DuplicatesPanel({ onOpen }: { onOpen: (id: number) => void }) {
  const duplicates = useDuplicates(true);
  if (duplicates.isPending) return <PageLoader />;
  const groups = duplicates.data?.groups ?? [];
  const pending = duplicates.data?.pending ?? 0;
  return (
    <Stack>
      {pending > 0 && (
        <Text size="sm" c="dimmed">
          {pending} image{pending === 1 ? ' is' : 's are'} still being analysed.
        </Text>
      )}
      {groups.length === 0 ? (
        <Text c="dimmed" size="sm">
          No duplicates found.
        </Text>
      ) : (
        groups.map((g) => <GroupCard key={`${g.kind}-${g.asset_ids.join('-')}`} group={g} onOpen={onOpen} />)
      )}
    </Stack>
  );
}
