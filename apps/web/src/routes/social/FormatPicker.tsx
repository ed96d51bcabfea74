import { Badge, Card, Checkbox, Group, SimpleGrid, Skeleton, Stack, Text } from '@mantine/core';
import type { SocialPlatformT } from '../../api/social.ts';

function PlatformGroup({
  platform,
  selected,
  onToggle,
}: {
  platform: SocialPlatformT;
  selected: ReadonlySet<string>;
  onToggle: (ids: string[], on: boolean) => void;
}) {
  const ids = platform.formats.map((f) => f.id);
  const count = ids.filter((id) => selected.has(id)).length;
  // The platform's usual upload rule; a format with a stricter one says so on its own line.
  const usual = platform.formats[0];
  return (
    <Card withBorder padding="sm" data-testid={`platform-${platform.id}`}>
      <Group justify="space-between" wrap="nowrap" mb={2}>
        <Checkbox
          label={<Text fw={600}>{platform.display_name}</Text>}
          aria-label={`All ${platform.display_name} formats`}
          checked={count === ids.length}
          indeterminate={count > 0 && count < ids.length}
          onChange={(e) => onToggle(ids, e.currentTarget.checked)}
        />
        {count > 0 && (
          <Badge size="sm" variant="light">
            {count}
          </Badge>
        )}
      </Group>
      {usual && (
        <Text size="xs" c="dimmed" mb={6}>
          {usual.file_types.join(', ')} · up to {usual.max_size_mb} MB
        </Text>
      )}
      <Stack gap={6} pl="lg">
        {platform.formats.map((f) => (
          <Checkbox
            key={f.id}
            size="sm"
            checked={selected.has(f.id)}
            onChange={(e) => onToggle([f.id], e.currentTarget.checked)}
            aria-label={`${platform.display_name} ${f.name}`}
            label={
              <>
                <Text span display="block" size="sm" lh={1.3}>
                  {f.name}
                </Text>
                <Text span display="block" size="xs" c="dimmed">
                  {f.width}×{f.height} · {f.ratio}
                  {usual && f.max_size_mb !== usual.max_size_mb ? ` · up to ${f.max_size_mb} MB` : ''}
                </Text>
              </>
            }
          />
        ))}
      </Stack>
    </Card>
  );
}

/** Every platform of the catalogue with its formats as checkboxes, per platform and overall. */
export function FormatPicker({
  platforms,
  loading,
  selected,
  onChange,
}: {
  platforms: SocialPlatformT[];
  loading: boolean;
  selected: ReadonlySet<string>;
  onChange: (next: Set<string>) => void;
}) {
  const all = platforms.flatMap((p) => p.formats.map((f) => f.id));
  const toggle = (ids: string[], on: boolean) => {
    const next = new Set(selected);
    for (const id of ids) {
      if (on) {
        next.add(id);
      } else {
        next.delete(id);
      }
    }
    onChange(next);
  };
  if (loading) {
    return (
      <SimpleGrid cols={{ base: 1, xs: 2 }}>
        {[0, 1, 2, 3].map((i) => (
          <Skeleton key={i} h={140} />
        ))}
      </SimpleGrid>
    );
  }
  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Checkbox
          label="Select all formats"
          checked={all.length > 0 && selected.size === all.length}
          indeterminate={selected.size > 0 && selected.size < all.length}
          onChange={(e) => onChange(e.currentTarget.checked ? new Set(all) : new Set())}
        />
        <Text size="sm" c="dimmed" data-testid="format-count" aria-live="polite">
          {selected.size} of {all.length} formats selected
        </Text>
      </Group>
      <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
        {platforms.map((p) => (
          <PlatformGroup key={p.id} platform={p} selected={selected} onToggle={toggle} />
        ))}
      </SimpleGrid>
    </Stack>
  );
}
