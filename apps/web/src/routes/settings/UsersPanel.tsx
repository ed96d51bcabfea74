import {
  ActionIcon,
  Badge,
  Button,
  Group,
  Menu,
  Modal,
  NumberInput,
  PasswordInput,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { IconDots, IconUserPlus } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import { type AdminUser, type PlanId, users } from '../../api/users.ts';
import { formatDateTime } from '../../components/format.ts';
import { notifySuccess } from '../../components/notify.tsx';
import { PageLoader } from '../../components/PageLoader.tsx';
import { useMe } from '../../hooks/useAuth.ts';
import { usePlans, useUserAction, useUsers } from './useUsers.ts';

type Dialog = { kind: 'password' | 'plan' | 'credits' | 'delete'; user: AdminUser } | { kind: 'create' };

/** The plans as select options, and the plan id a chosen option stands for. */
function usePlanOptions() {
  const plans = usePlans().data?.plans ?? [];
  return {
    options: plans.map((p) => ({ value: p.id, label: p.label })),
    planOf: (value: string | null): PlanId | undefined => plans.find((p) => p.id === value)?.id,
  };
}

function CreateUserModal({ onClose }: { onClose: () => void }) {
  const create = useUserAction(users.create);
  const { options, planOf } = usePlanOptions();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<'user' | 'admin'>('user');
  const [plan, setPlan] = useState<PlanId | undefined>(undefined);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(
      { email: email.trim(), password, role, plan },
      {
        onSuccess: (user) => {
          notifySuccess(`${user.email} can now sign in.`, 'User created');
          onClose();
        },
      },
    );
  };
  return (
    <form onSubmit={submit}>
      <Stack>
        <TextInput
          label="Email"
          type="email"
          required
          value={email}
          onChange={(e) => setEmail(e.currentTarget.value)}
        />
        <PasswordInput
          label="Password"
          description="At least 8 characters. Share it with the user; they can change it in Settings."
          required
          minLength={8}
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
        />
        <Select
          label="Role"
          data={[
            { value: 'user', label: 'User' },
            { value: 'admin', label: 'Admin' },
          ]}
          value={role}
          allowDeselect={false}
          onChange={(v) => setRole(v === 'admin' ? 'admin' : 'user')}
        />
        <Select
          label="Plan"
          placeholder="The role's default plan"
          data={options}
          value={plan ?? null}
          clearable
          onChange={(v) => setPlan(planOf(v))}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={create.isPending} disabled={!email.trim() || password.length < 8}>
            Create user
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function ResetPasswordModal({ user, onClose }: { user: AdminUser; onClose: () => void }) {
  const reset = useUserAction((password: string) => users.resetPassword(user.id, password));
  const [password, setPassword] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    reset.mutate(password, {
      onSuccess: () => {
        notifySuccess(`${user.email} was signed out everywhere and can sign in with the new password.`);
        onClose();
      },
    });
  };
  return (
    <form onSubmit={submit}>
      <Stack>
        <PasswordInput
          label="New password"
          description="Their sessions end; their API tokens keep working."
          required
          minLength={8}
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={reset.isPending} disabled={password.length < 8}>
            Set password
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function PlanModal({ user, onClose }: { user: AdminUser; onClose: () => void }) {
  const setPlan = useUserAction((plan: PlanId) => users.setPlan(user.id, plan));
  const { options, planOf } = usePlanOptions();
  const [plan, setPlanValue] = useState<PlanId>(user.plan);
  return (
    <Stack>
      <Select
        label="Plan"
        data={options}
        value={plan}
        allowDeselect={false}
        onChange={(v) => setPlanValue(planOf(v) ?? plan)}
      />
      <Text size="xs" c="dimmed">
        An upgrade adds the difference in this month's credits now; a downgrade applies from next month.
      </Text>
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>
          Cancel
        </Button>
        <Button
          loading={setPlan.isPending}
          disabled={plan === user.plan}
          onClick={() => setPlan.mutate(plan, { onSuccess: onClose })}
        >
          Save plan
        </Button>
      </Group>
    </Stack>
  );
}

function CreditsModal({ user, onClose }: { user: AdminUser; onClose: () => void }) {
  // One key per dialog: a double click or a retried request grants once.
  const [key] = useState(() => crypto.randomUUID());
  const grant = useUserAction((v: { amount: number; reason: string }) =>
    users.grant(user.id, v.amount, v.reason, key),
  );
  const [amount, setAmount] = useState<number | string>(100);
  const [reason, setReason] = useState('');
  const value = typeof amount === 'number' ? amount : Number.NaN;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    grant.mutate(
      { amount: value, reason: reason.trim() },
      {
        onSuccess: (summary) => {
          notifySuccess(`${user.email} now has ${summary.balance.toLocaleString()} credits.`);
          onClose();
        },
      },
    );
  };
  return (
    <form onSubmit={submit}>
      <Stack>
        <Text size="sm">Balance now: {user.balance.toLocaleString()} credits.</Text>
        <NumberInput
          label="Credits"
          description="Negative to take credits back (never below zero)."
          value={amount}
          onChange={setAmount}
          allowDecimal={false}
          required
        />
        <TextInput
          label="Reason"
          description="Shown in their credit history."
          required
          maxLength={500}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={grant.isPending} disabled={!value || !reason.trim()}>
            Grant credits
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function DeleteModal({ user, onClose }: { user: AdminUser; onClose: () => void }) {
  const remove = useUserAction((confirm: string) => users.remove(user.id, confirm));
  const [typed, setTyped] = useState('');
  const matches = typed.trim().toLowerCase() === user.email;
  return (
    <Stack>
      <Text size="sm">
        This deletes <b>{user.email}</b> with every image in their library, their jobs, tokens and credits. It
        cannot be undone.
      </Text>
      <TextInput
        label="Type their email to confirm"
        value={typed}
        onChange={(e) => setTyped(e.currentTarget.value)}
        autoComplete="off"
      />
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>
          Cancel
        </Button>
        <Button
          color="red"
          disabled={!matches}
          loading={remove.isPending}
          onClick={() =>
            remove.mutate(typed.trim(), {
              onSuccess: () => {
                notifySuccess(`${user.email} was deleted.`);
                onClose();
              },
            })
          }
        >
          Delete user
        </Button>
      </Group>
    </Stack>
  );
}

const TITLES: Record<Dialog['kind'], string> = {
  create: 'New user',
  password: 'Reset password',
  plan: 'Change plan',
  credits: 'Grant credits',
  delete: 'Delete user?',
};

function UserActions({ user, open }: { user: AdminUser; open: (d: Dialog) => void }) {
  const update = useUserAction((body: { role?: 'admin' | 'user'; disabled?: boolean }) =>
    users.update(user.id, body),
  );
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <ActionIcon variant="subtle" aria-label={`Actions for ${user.email}`} loading={update.isPending}>
          <IconDots size={18} />
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Item onClick={() => update.mutate({ role: user.role === 'admin' ? 'user' : 'admin' })}>
          {user.role === 'admin' ? 'Make user' : 'Make admin'}
        </Menu.Item>
        <Menu.Item onClick={() => update.mutate({ disabled: !user.disabled })}>
          {user.disabled ? 'Enable' : 'Disable'}
        </Menu.Item>
        <Menu.Item onClick={() => open({ kind: 'password', user })}>Reset password</Menu.Item>
        <Menu.Item onClick={() => open({ kind: 'plan', user })}>Change plan</Menu.Item>
        <Menu.Item onClick={() => open({ kind: 'credits', user })}>Grant credits</Menu.Item>
        <Menu.Divider />
        <Menu.Item color="red" onClick={() => open({ kind: 'delete', user })}>
          Delete
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

/** Admin only: every account, with the actions an admin takes on them. */
export function UsersPanel() {
  const list = useUsers();
  const myId = useMe().data?.id;
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const close = () => setDialog(null);
  if (list.isPending) {
    return <PageLoader />;
  }
  return (
    <Stack>
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          Disabling someone signs them out at once and stops their API tokens; their library stays.
        </Text>
        <Button leftSection={<IconUserPlus size={16} />} onClick={() => setDialog({ kind: 'create' })}>
          New user
        </Button>
      </Group>
      <Table.ScrollContainer minWidth={640}>
        <Table verticalSpacing="sm" striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Email</Table.Th>
              <Table.Th>Role</Table.Th>
              <Table.Th>Plan</Table.Th>
              <Table.Th>Credits</Table.Th>
              <Table.Th>Created</Table.Th>
              <Table.Th aria-label="Actions" />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(list.data?.users ?? []).map((user) => (
              <Table.Tr key={user.id} data-testid={`user-row-${user.email}`}>
                <Table.Td>
                  <Group gap="xs" wrap="nowrap">
                    <Text size="sm">{user.email}</Text>
                    {user.id === myId && (
                      <Badge color="teal" variant="light">
                        You
                      </Badge>
                    )}
                    {user.disabled && (
                      <Badge color="gray" variant="light">
                        Disabled
                      </Badge>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Badge variant="light" color={user.role === 'admin' ? 'violet' : 'blue'}>
                    {user.role === 'admin' ? 'Admin' : 'User'}
                  </Badge>
                </Table.Td>
                <Table.Td style={{ textTransform: 'capitalize' }}>{user.plan}</Table.Td>
                <Table.Td>{user.balance.toLocaleString()}</Table.Td>
                <Table.Td>{formatDateTime(user.created_at)}</Table.Td>
                <Table.Td>
                  <UserActions user={user} open={setDialog} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Modal opened={dialog !== null} onClose={close} title={dialog ? TITLES[dialog.kind] : ''}>
        {dialog?.kind === 'create' && <CreateUserModal onClose={close} />}
        {dialog?.kind === 'password' && <ResetPasswordModal user={dialog.user} onClose={close} />}
        {dialog?.kind === 'plan' && <PlanModal user={dialog.user} onClose={close} />}
        {dialog?.kind === 'credits' && <CreditsModal user={dialog.user} onClose={close} />}
        {dialog?.kind === 'delete' && <DeleteModal user={dialog.user} onClose={close} />}
      </Modal>
    </Stack>
  );
}
