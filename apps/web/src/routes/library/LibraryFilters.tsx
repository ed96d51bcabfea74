import { Badge, Button, Collapse, ColorInput, Group, Select, Stack, TextInput } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import type { AssetStatistics, Collection } from '@studio/contracts';
import { IconFilter } from '@tabler/icons-react';
import { useState } from 'react';
import type { LibraryFilters as Filters } from '../../api/library.ts';

const options = (counts: Record<string, number> | undefined) =>
  Object.entries(counts ?? {}).map(([value, n]) => ({
    value,
    label: `${value.replaceAll('_', ' ')} (${n})`,
  }));

/** Type, module, provider, model, date and collection filters; each maps onto the list query. */
export function LibraryFilterBar({
  filters,
  onChange,
  stats,
  collections,
}: {
  filters: Filters;
  onChange: (next: Filters) => void;
  stats?: AssetStatistics;
  collections: Collection[];
}) {
  const set = <K extends keyof Filters>(key: K, value: Filters[K] | null) =>
    onChange({ ...filters, [key]: value ?? undefined });
  const active = Object.entries(filters).filter(
    ([key, value]) => value !== undefined && !['search', 'favorites_only', 'trashed'].includes(key),
  ).length;
  const [opened, { toggle }] = useDisclosure(active > 0);
  return (
    <Stack gap="xs">
      <Group gap="xs">
        <Button
          variant="default"
          size="xs"
          leftSection={<IconFilter size={14} />}
          rightSection={
            active > 0 ? (
              <Badge size="xs" circle>
                {active}
              </Badge>
            ) : undefined
          }
          onClick={toggle}
          aria-expanded={opened}
        >
          Filters
        </Button>
        {active > 0 && (
          <Button
            variant="subtle"
            size="xs"
            onClick={() =>
              onChange({
                search: filters.search,
                favorites_only: filters.favorites_only,
                trashed: filters.trashed,
              })
            }
          >
            Clear filters
          </Button>
        )}
      </Group>
      <Collapse expanded={opened}>
        <Group gap="xs" align="flex-end" wrap="wrap">
          <Select
            label="Type"
            placeholder="Any"
            clearable
            w={140}
            data={options(stats?.by_type)}
            value={filters.asset_type ?? null}
            onChange={(v) => set('asset_type', v as Filters['asset_type'])}
          />
          <Select
            label="Module"
            placeholder="Any"
            clearable
            w={170}
            data={options(stats?.by_source)}
            value={filters.source_module ?? null}
            onChange={(v) => set('source_module', v as Filters['source_module'])}
          />
          <Select
            label="Provider"
            placeholder="Any"
            clearable
            w={150}
            data={options(stats?.by_provider)}
            value={filters.provider ?? null}
            onChange={(v) => set('provider', v)}
          />
          <TextInput
            label="Model"
            placeholder="Any"
            w={150}
            value={filters.model ?? ''}
            onChange={(e) => set('model', e.currentTarget.value.trim() || null)}
          />
          <Select
            label="Collection"
            placeholder="Any"
            clearable
            w={170}
            data={collections.map((c) => ({ value: String(c.id), label: `${c.name} (${c.asset_count})` }))}
            value={filters.collection_id ? String(filters.collection_id) : null}
            onChange={(v) => set('collection_id', v ? Number(v) : null)}
          />
          <TextInput
            label="From"
            type="date"
            w={150}
            value={filters.date_from ?? ''}
            onChange={(e) => set('date_from', e.currentTarget.value || null)}
          />
          <TextInput
            label="To"
            type="date"
            w={150}
            value={filters.date_to ?? ''}
            onChange={(e) => set('date_to', e.currentTarget.value || null)}
          />
          <ColourFilter value={filters.color} onChange={(v) => set('color', v)} />
        </Group>
      </Collapse>
    </Stack>
  );
}

/** The typed text stays as it is; the filter changes only on a whole #rrggbb (or when cleared). */
function ColourFilter({ value, onChange }: { value?: string; onChange: (hex: string | null) => void }) {
  const [text, setText] = useState(value ?? '');
  // Cleared from outside ("Clear filters"): the box empties too.
  if (value === undefined && /^#[0-9a-f]{6}$/i.test(text)) setText('');
  return (
    <ColorInput
      label="Colour"
      placeholder="Any"
      w={150}
      format="hex"
      value={text}
      onChange={(v) => {
        setText(v);
        if (v === '') onChange(null);
        else if (/^#[0-9a-f]{6}$/i.test(v)) onChange(v.toLowerCase());
      }}
    />
  );
}
