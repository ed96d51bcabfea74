import { Badge, Button, Group, PasswordInput, Stack, Table, Text, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { account } from '../../api/users.ts';
import { formatDateTime } from '../../components/format.ts';
import { notifySuccess } from '../../components/notify.tsx';
import { PageLoader } from '../../components/PageLoader.tsx';
import { useSessionAction, useSessions } from './useUsers.ts';

function PasswordForm() {
  const change = useSessionAction((v: { current: string; next: string }) =>
    account.changePassword(v.current, v.next),
  );
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const mismatch = repeat !== '' && repeat !== next;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    change.mutate(
      { current, next },
      {
        onSuccess: () => {
          setCurrent('');
          setNext('');
          setRepeat('');
          notifySuccess('Password changed. Your other sessions were signed out.');
        },
      },
    );
  };
  return (
    <form onSubmit={submit}>
      <Stack maw={420}>
        <Title order={3}>Password</Title>
        <PasswordInput
          label="Current password"
          required
          autoComplete="current-password"
          value={current}
          onChange={(e) => setCurrent(e.currentTarget.value)}
        />
        <PasswordInput
          label="New password"
          description="At least 8 characters. Your other sessions end; API tokens keep working."
          required
          minLength={8}
          autoComplete="new-password"
          value={next}
          onChange={(e) => setNext(e.currentTarget.value)}
        />
        <PasswordInput
          label="Repeat new password"
          required
          autoComplete="new-password"
          value={repeat}
          error={mismatch ? 'The passwords differ.' : undefined}
          onChange={(e) => setRepeat(e.currentTarget.value)}
        />
        <Button
          type="submit"
          w="fit-content"
          loading={change.isPending}
          disabled={!current || next.length < 8 || next !== repeat}
        >
          Change password
        </Button>
      </Stack>
    </form>
  );
}

function SessionsList() {
  const sessions = useSessions();
  const end = useSessionAction(account.endSession);
  const endOthers = useSessionAction(account.endOtherSessions);
  if (sessions.isPending) {
    return <PageLoader />;
  }
  const list = sessions.data?.sessions ?? [];
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={3}>Sessions</Title>
        <Button
          variant="default"
          disabled={list.every((s) => s.current)}
          loading={endOthers.isPending}
          onClick={() => endOthers.mutate(undefined)}
        >
          Sign out other sessions
        </Button>
      </Group>
      <Table.ScrollContainer minWidth={480}>
        <Table verticalSpacing="sm" striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Signed in</Table.Th>
              <Table.Th>Expires</Table.Th>
              <Table.Th aria-label="Actions" />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.map((s) => (
              <Table.Tr key={s.id}>
                <Table.Td>
                  <Group gap="xs">
                    <Text size="sm">{formatDateTime(s.created_at)}</Text>
                    {s.current && (
                      <Badge variant="light" color="teal">
                        This browser
                      </Badge>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td>{formatDateTime(s.expires_at)}</Table.Td>
                <Table.Td>
                  {!s.current && (
                    <Button size="compact-sm" variant="subtle" color="red" onClick={() => end.mutate(s.id)}>
                      Sign out
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}

/** The signed-in user's own password and sessions. */
export function AccountPanel() {
  return (
    <Stack gap="xl">
      <PasswordForm />
      <SessionsList />
    </Stack>
  );
}
