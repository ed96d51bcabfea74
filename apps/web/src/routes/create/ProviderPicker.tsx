import { Group, Select, Stack, Text } from '@mantine/core';
import { supporting } from '../../api/providers.ts';
import type { CreateInput } from '../../api/studio.ts';
import { useProviders } from '../../hooks/useProviders.ts';

export type ProviderValue = NonNullable<CreateInput['provider']>;

/** Provider and model for `create`, showing which are available to this user and why not. */
export function ProviderPicker({
  provider,
  model,
  onProvider,
  onModel,
}: {
  provider: ProviderValue;
  model: string | null;
  onProvider: (p: ProviderValue) => void;
  onModel: (m: string | null) => void;
}) {
  const list = useProviders();
  const capable = supporting(list.data?.providers ?? [], 'create');
  const chosen = capable.find((p) => p.id === provider);
  const models = (chosen?.models ?? []).filter((m) => m.operations.includes('create'));
  const unavailable = capable.filter((p) => !p.available || !p.healthy);
  return (
    <Stack gap={4}>
      <Group grow align="flex-start">
        <Select
          label="Provider"
          allowDeselect={false}
          value={provider}
          onChange={(v) => onProvider((v as ProviderValue | null) ?? 'auto')}
          data={[
            { value: 'auto', label: 'Auto-select (recommended)' },
            ...capable.map((p) => ({
              value: p.id,
              label: p.available && p.healthy ? p.label : `${p.label} (unavailable)`,
              disabled: !p.available,
            })),
          ]}
        />
        <Select
          label="Model"
          placeholder={provider === 'auto' ? 'Chosen for you' : 'Provider default'}
          disabled={provider === 'auto'}
          clearable
          value={model}
          onChange={onModel}
          data={models.map((m) => ({ value: m.id, label: `${m.label} · ${m.credits} cr` }))}
        />
      </Group>
      {chosen?.kind === 'layout' && (
        <Text size="xs" c="dimmed">
          {chosen.models[0]?.note ?? 'The local provider typesets a layout; it is not an AI image.'}
        </Text>
      )}
      {unavailable.length > 0 && (
        <Text size="xs" c="dimmed" data-testid="unavailable-providers">
          {unavailable.map((p) => `${p.label}: ${p.reason ?? 'unavailable'}`).join(' · ')}
        </Text>
      )}
    </Stack>
  );
}
