import { Avatar, Menu, UnstyledButton, VisuallyHidden } from '@mantine/core';
import { IconLogout, IconSettings } from '@tabler/icons-react';
import { Link, useNavigate } from 'react-router';
import { useLogout, useMe } from '../hooks/useAuth.ts';

export function UserMenu() {
  const me = useMe();
  const logout = useLogout();
  const navigate = useNavigate();
  const email = me.data?.email ?? '';
  return (
    <Menu position="bottom-end" width={220}>
      <Menu.Target>
        {/* Named by its text, not aria-label: the initials shown are not part of any label's words. */}
        <UnstyledButton>
          <VisuallyHidden>Account menu for {email}</VisuallyHidden>
          <Avatar color="violet" radius="xl" size={34} aria-hidden>
            {email.slice(0, 2).toUpperCase()}
          </Avatar>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{email}</Menu.Label>
        <Menu.Item component={Link} to="/settings" leftSection={<IconSettings size={16} />}>
          Settings
        </Menu.Item>
        <Menu.Item
          color="red"
          leftSection={<IconLogout size={16} />}
          onClick={() =>
            logout.mutate(undefined, { onSettled: () => void navigate('/login', { replace: true }) })
          }
        >
          Log out
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
