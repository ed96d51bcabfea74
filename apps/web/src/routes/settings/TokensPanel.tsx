import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Code,
  CopyButton,
  Group,
  Modal,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { IconCheck, IconCopy, IconTrash } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import type { ApiToken, CreatedTokenT } from '../../api/endpoints.ts';
import { formatDateTime } from '../../components/format.ts';
import { PageLoader } from '../../components/PageLoader.tsx';
import { useCreateToken, useRevokeToken, useTokens } from '../../hooks/useTokens.ts';

const EXPIRY_OPTIONS = [
  { value: 'never', label: 'Never' },
  { value: '7', label: 'In 7 days' },
  { value: '30', label: 'In 30 days' },
  { value: '90', label: 'In 90 days' },
  { value: '365', label: 'In a year' },
];

function CreatedTokenModal({ token, onClose }: { token: CreatedTokenT | null; onClose: () => void }) {
  return (
    <Modal opened={token !== null} onClose={onClose} title="Your new API token" size="lg">
      {token && (
        <Stack>
          <Alert color="yellow">Copy it now: it is shown only once and cannot be recovered.</Alert>
          <Group wrap="nowrap" gap="xs">
            <Code
              block
              style={{ flex: 1, wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}
              data-testid="new-token"
            >
              {token.token}
            </Code>
            <CopyButton value={token.token}>
              {({ copied, copy }) => (
                <Tooltip label={copied ? 'Copied' : 'Copy token'}>
                  <ActionIcon variant="light" size="lg" onClick={copy} aria-label="Copy token">
                    {copied ? <IconCheck size={18} /> : <IconCopy size={18} />}
                  </ActionIcon>
                </Tooltip>
              )}
            </CopyButton>
          </Group>
          <Text size="sm" c="dimmed">
            Send it as <Code>Authorization: Bearer &lt;token&gt;</Code>. The API is described at{' '}
            <a href="/api/docs">/api/docs</a>.
          </Text>
          <Button onClick={onClose} w="fit-content">
            Done
          </Button>
        </Stack>
      )}
    </Modal>
  );
}

function RevokeModal({ token, onClose }: { token: ApiToken | null; onClose: () => void }) {
  const revoke = useRevokeToken();
  return (
    <Modal opened={token !== null} onClose={onClose} title="Revoke token?">
      <Stack>
        <Text size="sm">
          Tools using <b>{token?.name}</b> will get 401 from now on. This cannot be undone.
        </Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button
            color="red"
            loading={revoke.isPending}
            onClick={() => token && revoke.mutate(token.id, { onSuccess: onClose })}
          >
            Revoke
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

export function TokensPanel() {
  const list = useTokens();
  const create = useCreateToken();
  const [name, setName] = useState('');
  const [expiry, setExpiry] = useState<string>('never');
  const [created, setCreated] = useState<CreatedTokenT | null>(null);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(
      { name: name.trim(), expires_in_days: expiry === 'never' ? undefined : Number(expiry) },
      {
        onSuccess: (token) => {
          setCreated(token);
          setName('');
        },
      },
    );
  };

  return (
    <Stack>
      <form onSubmit={submit}>
        <Group align="flex-end" wrap="wrap">
          <TextInput
            label="New token name"
            placeholder="e.g. CI pipeline"
            value={name}
            maxLength={100}
            onChange={(e) => setName(e.currentTarget.value)}
            style={{ flex: '1 1 240px' }}
          />
          <Select
            label="Expires"
            data={EXPIRY_OPTIONS}
            value={expiry}
            allowDeselect={false}
            onChange={(v) => setExpiry(v ?? 'never')}
            w={160}
          />
          <Button type="submit" disabled={name.trim() === ''} loading={create.isPending}>
            Create token
          </Button>
        </Group>
      </form>
      {list.isPending ? (
        <PageLoader />
      ) : list.data && list.data.tokens.length > 0 ? (
        <Table.ScrollContainer minWidth={520}>
          <Table verticalSpacing="sm" striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Token</Table.Th>
                <Table.Th>Created</Table.Th>
                <Table.Th>Last used</Table.Th>
                <Table.Th>Expires</Table.Th>
                <Table.Th aria-label="Actions" />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data.tokens.map((token) => (
                <Table.Tr key={token.id}>
                  <Table.Td>{token.name}</Table.Td>
                  <Table.Td>
                    <Code>{token.token_prefix}…</Code>
                  </Table.Td>
                  <Table.Td>{formatDateTime(token.created_at)}</Table.Td>
                  <Table.Td>{formatDateTime(token.last_used_at)}</Table.Td>
                  <Table.Td>
                    {token.expires_at === null ? (
                      'Never'
                    ) : Date.parse(token.expires_at) <= Date.now() ? (
                      <Badge color="gray" variant="light">
                        Expired
                      </Badge>
                    ) : (
                      formatDateTime(token.expires_at)
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Tooltip label="Revoke">
                      <ActionIcon
                        variant="subtle"
                        color="red"
                        aria-label={`Revoke ${token.name}`}
                        onClick={() => setRevoking(token)}
                      >
                        <IconTrash size={18} />
                      </ActionIcon>
                    </Tooltip>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : (
        <Text c="dimmed" size="sm">
          No API tokens yet. Create one to call the API from scripts and other tools.
        </Text>
      )}
      <CreatedTokenModal token={created} onClose={() => setCreated(null)} />
      <RevokeModal token={revoking} onClose={() => setRevoking(null)} />
    </Stack>
  );
}
