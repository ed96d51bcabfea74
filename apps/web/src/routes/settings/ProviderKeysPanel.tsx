import { Alert, Badge, Button, Card, Group, PasswordInput, SimpleGrid, Stack, Text } from '@mantine/core';
import { IconPlugConnected } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import type { ProviderKeyStatusT } from '../../api/providers.ts';
import { formatDateTime } from '../../components/format.ts';
import { notifySuccess } from '../../components/notify.tsx';
import { PageLoader } from '../../components/PageLoader.tsx';
import {
  useProviderKeys,
  useProviders,
  useRemoveKey,
  useSaveKey,
  useTestKey,
} from '../../hooks/useProviders.ts';

function KeyCard({ status, label }: { status: ProviderKeyStatusT; label: string }) {
  const save = useSaveKey();
  const remove = useRemoveKey();
  const test = useTestKey();
  const [key, setKey] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(
      { provider: status.provider, apiKey: key.trim() },
      {
        onSuccess: () => {
          setKey('');
          notifySuccess(`${label} key saved.`);
        },
      },
    );
  };
  const lastTest =
    test.data ?? (status.last_test && { ok: status.last_test.ok, message: status.last_test.message ?? '' });
  return (
    <Card withBorder data-testid={`provider-key-${status.provider}`}>
      <Stack gap="xs">
        <Group justify="space-between">
          <Text fw={600}>{label}</Text>
          {status.configured ? (
            <Badge color="teal" variant="light">
              Your key ••••{status.last4}
            </Badge>
          ) : status.server_key ? (
            <Badge color="blue" variant="light">
              Server key
            </Badge>
          ) : (
            <Badge color="gray" variant="light">
              No key
            </Badge>
          )}
        </Group>
        {status.updated_at && (
          <Text size="xs" c="dimmed">
            Saved {formatDateTime(status.updated_at)}
          </Text>
        )}
        <form onSubmit={submit}>
          <Group align="flex-end" gap="xs" wrap="nowrap">
            <PasswordInput
              label={status.configured ? 'Replace key' : 'API key'}
              placeholder="Paste the key"
              autoComplete="off"
              value={key}
              onChange={(e) => setKey(e.currentTarget.value)}
              style={{ flex: 1 }}
            />
            <Button type="submit" disabled={key.trim().length < 8} loading={save.isPending}>
              Save
            </Button>
          </Group>
        </form>
        <Group gap="xs">
          <Button
            size="xs"
            variant="light"
            leftSection={<IconPlugConnected size={14} />}
            loading={test.isPending}
            disabled={!status.configured && !status.server_key && key.trim().length < 8}
            onClick={() => test.mutate({ provider: status.provider, apiKey: key.trim() || undefined })}
          >
            Test connection
          </Button>
          {status.configured && (
            <Button
              size="xs"
              variant="subtle"
              color="red"
              loading={remove.isPending}
              onClick={() => remove.mutate(status.provider)}
            >
              Remove my key
            </Button>
          )}
        </Group>
        {lastTest && (
          <Alert color={lastTest.ok ? 'teal' : 'red'} p="xs">
            {lastTest.ok ? 'Connected. ' : 'Failed. '}
            {lastTest.message}
          </Alert>
        )}
      </Stack>
    </Card>
  );
}

export function ProviderKeysPanel() {
  const keys = useProviderKeys();
  const list = useProviders();
  if (keys.isPending) {
    return <PageLoader />;
  }
  const labelOf = (id: string) => list.data?.providers.find((p) => p.id === id)?.label ?? id;
  return (
    <Stack>
      <Text size="sm" c="dimmed">
        Your own keys are stored encrypted and used instead of the server's. The key is never shown again.
      </Text>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        {(keys.data?.keys ?? []).map((status) => (
          <KeyCard key={status.provider} status={status} label={labelOf(status.provider)} />
        ))}
      </SimpleGrid>
    </Stack>
  );
}
