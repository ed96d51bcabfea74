import {
  Badge,
  Box,
  Button,
  Chip,
  Group,
  Paper,
  ScrollArea,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  UnstyledButton,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconCheck, IconSearch } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { studio, type TemplateDto } from '../../api/studio.ts';
import { PLATFORM_LABELS } from './createOptions.ts';

const FIRST = 6;

/** The template's frame at a glance: its aspect ratio drawn in a 44-pixel box. */
function ShapePreview({ width, height }: { width: number; height: number }) {
  const scale = 44 / Math.max(width, height);
  return (
    <Box w={44} h={44} style={{ display: 'grid', placeItems: 'center', flexShrink: 0 }} aria-hidden>
      <Box
        w={Math.max(6, Math.round(width * scale))}
        h={Math.max(6, Math.round(height * scale))}
        style={{ border: '2px solid var(--mantine-primary-color-filled)', borderRadius: 3 }}
      />
    </Box>
  );
}

function TemplateCard({ t, selected, onPick }: { t: TemplateDto; selected: boolean; onPick: () => void }) {
  return (
    <UnstyledButton onClick={onPick} aria-pressed={selected} data-testid="template-card">
      <Paper
        withBorder
        p="xs"
        h="100%"
        style={selected ? { borderColor: 'var(--mantine-primary-color-filled)', borderWidth: 2 } : undefined}
      >
        <Group wrap="nowrap" align="flex-start" gap="xs">
          <ShapePreview width={t.width} height={t.height} />
          <Stack gap={2} style={{ minWidth: 0, flex: 1 }}>
            <Group gap={4} justify="space-between" wrap="nowrap">
              <Text size="sm" fw={600} truncate>
                {t.name}
              </Text>
              {selected && <IconCheck size={16} color="var(--mantine-primary-color-filled)" />}
            </Group>
            <Group gap={4}>
              <Badge size="xs" variant="light">
                {t.aspect_ratio.ratio}
              </Badge>
              <Badge size="xs" variant="outline">
                {t.width}×{t.height}
              </Badge>
              {t.quality === 'premium' && (
                <Badge size="xs" color="yellow" variant="light">
                  Premium
                </Badge>
              )}
            </Group>
            <Text size="xs" c="dimmed" lineClamp={2}>
              {t.description}
            </Text>
          </Stack>
        </Group>
      </Paper>
    </UnstyledButton>
  );
}

/** Template picker: search as you type (server-ranked, typo-tolerant), platform and size chips. */
export function TemplatePicker({
  value,
  onChange,
}: {
  value: TemplateDto | null;
  onChange: (t: TemplateDto | null) => void;
}) {
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search.trim(), 150);
  const [platform, setPlatform] = useState('all');
  const [ratio, setRatio] = useState('all');
  const [showAll, setShowAll] = useState(false);
  const all = useQuery({
    queryKey: ['templates'],
    queryFn: studio.templates,
    staleTime: Number.POSITIVE_INFINITY,
  });
  const found = useQuery({
    queryKey: ['templates', 'search', debounced],
    queryFn: ({ signal }) => studio.searchTemplates(debounced, signal),
    enabled: debounced.length > 0,
    placeholderData: (previous) => previous,
  });
  const source = debounced ? (found.data?.templates ?? []) : (all.data?.templates ?? []);
  const platforms = useMemo(
    () => [...new Set((all.data?.templates ?? []).map((t) => t.platform))],
    [all.data],
  );
  const byPlatform = source.filter((t) => platform === 'all' || t.platform === platform);
  const ratios = [...new Set(byPlatform.map((t) => t.aspect_ratio.ratio))];
  const shown = byPlatform.filter((t) => ratio === 'all' || t.aspect_ratio.ratio === ratio);
  const visible = showAll ? shown : shown.slice(0, FIRST);

  return (
    <Stack gap="xs">
      <TextInput
        leftSection={<IconSearch size={16} />}
        placeholder="Search templates: “instagram story”, “blog header”…"
        aria-label="Search templates"
        value={search}
        onChange={(e) => setSearch(e.currentTarget.value)}
        type="search"
      />
      <ScrollArea type="auto" offsetScrollbars>
        <Chip.Group
          multiple={false}
          value={platform}
          onChange={(v) => {
            setPlatform(v);
            setRatio('all');
          }}
        >
          <Group gap={6} wrap="nowrap" aria-label="Platform">
            <Chip value="all" size="xs">
              All platforms
            </Chip>
            {platforms.map((p) => (
              <Chip key={p} value={p} size="xs">
                {PLATFORM_LABELS[p] ?? p}
              </Chip>
            ))}
          </Group>
        </Chip.Group>
      </ScrollArea>
      {ratios.length > 1 && (
        <Chip.Group multiple={false} value={ratio} onChange={setRatio}>
          <Group gap={6} aria-label="Size">
            <Chip value="all" size="xs" variant="outline">
              Any size
            </Chip>
            {ratios.map((r) => (
              <Chip key={r} value={r} size="xs" variant="outline">
                {r}
              </Chip>
            ))}
          </Group>
        </Chip.Group>
      )}
      {visible.length === 0 ? (
        <Text size="sm" c="dimmed">
          {all.isPending || found.isFetching
            ? 'Loading templates…'
            : 'No template matches. Try another word.'}
        </Text>
      ) : (
        <SimpleGrid cols={{ base: 1, xs: 2, md: 1, xl: 2 }} spacing="xs">
          {visible.map((t) => (
            <TemplateCard
              key={t.id}
              t={t}
              selected={value?.id === t.id}
              onPick={() => onChange(value?.id === t.id ? null : t)}
            />
          ))}
        </SimpleGrid>
      )}
      {shown.length > FIRST && (
        <Button variant="subtle" size="xs" onClick={() => setShowAll((s) => !s)} w="fit-content">
          {showAll ? 'Show less' : `Show all (${shown.length})`}
        </Button>
      )}
    </Stack>
  );
}
