import { AppShell, Burger, Group, NavLink, ScrollArea, Text, UnstyledButton } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconHome, IconPhotoSpark, IconSettings } from '@tabler/icons-react';
import { Link, Outlet, useLocation } from 'react-router';
import { STUDIOS } from '../studios.tsx';
import { CreditsBadge } from './CreditsBadge.tsx';
import { JobsTray } from './JobsTray.tsx';
import { ThemeToggle } from './ThemeToggle.tsx';
import { UserMenu } from './UserMenu.tsx';

export function AppLayout() {
  const [opened, { toggle, close }] = useDisclosure(false);
  const { pathname } = useLocation();
  const links = [
    { to: '/', label: 'Dashboard', icon: IconHome },
    ...STUDIOS.filter((s) => s.path).map((s) => ({ to: s.path ?? '/', label: s.title, icon: s.icon })),
    { to: '/settings', label: 'Settings', icon: IconSettings },
  ];
  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="xs" wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label="Toggle navigation"
            />
            <UnstyledButton component={Link} to="/" aria-label="Image Studio dashboard">
              <Group gap={6} wrap="nowrap">
                <IconPhotoSpark size={26} aria-hidden />
                <Text fw={700} visibleFrom="xs">
                  Image Studio
                </Text>
              </Group>
            </UnstyledButton>
          </Group>
          <Group gap="xs" wrap="nowrap">
            <CreditsBadge />
            <JobsTray />
            <ThemeToggle />
            <UserMenu />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Main navigation">
        <ScrollArea>
          {links.map((link) => (
            <NavLink
              key={link.to}
              component={Link}
              to={link.to}
              label={link.label}
              leftSection={<link.icon size={18} />}
              active={link.to === '/' ? pathname === '/' : pathname.startsWith(link.to)}
              onClick={close}
            />
          ))}
        </ScrollArea>
      </AppShell.Navbar>
      <AppShell.Main>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
