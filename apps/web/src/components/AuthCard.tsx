import { Center, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { IconPhotoSpark } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { ThemeToggle } from './ThemeToggle.tsx';

/** The centred card that frames the setup and login forms. */
export function AuthCard({
  title,
  subtitle,
  children,
}: {
  title: string;
  subtitle: string;
  children: ReactNode;
}) {
  return (
    <Center mih="100dvh" p="md">
      <Paper withBorder shadow="md" p="xl" w="100%" maw={420} component="main">
        <Stack>
          <Group justify="space-between">
            <Group gap="xs">
              <IconPhotoSpark size={28} aria-hidden />
              <Text fw={700}>Image Studio</Text>
            </Group>
            <ThemeToggle />
          </Group>
          <div>
            <Title order={1} size="h2">
              {title}
            </Title>
            <Text c="dimmed" size="sm">
              {subtitle}
            </Text>
          </div>
          {children}
        </Stack>
      </Paper>
    </Center>
  );
}
