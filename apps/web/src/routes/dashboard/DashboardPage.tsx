import { Badge, Card, Group, SimpleGrid, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { Link } from 'react-router';
import { useHealth } from '../../hooks/useHealth.ts';
import { useProviders } from '../../hooks/useProviders.ts';
import { STUDIOS, type Studio } from '../../studios.tsx';
import { type StudioStatus, studioStatus } from './studioStatus.ts';

const COLORS: Record<StudioStatus['state'], string> = {
  live: 'teal',
  needs: 'yellow',
  down: 'red',
};

function StudioCard({ studio, status }: { studio: Studio; status: StudioStatus }) {
  return (
    <Card
      withBorder
      padding="lg"
      className="studio-card"
      component={Link}
      to={studio.path}
      data-testid={`studio-${studio.id}`}
    >
      <Stack gap="xs" h="100%">
        <Group justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <ThemeIcon variant="light" size="lg" radius="md">
              <studio.icon size={20} />
            </ThemeIcon>
            <Title order={2} size="h4">
              {studio.title}
            </Title>
          </Group>
          <Badge color={COLORS[status.state]} variant="light">
            {status.label}
          </Badge>
        </Group>
        <Text size="sm" c="dimmed">
          {studio.description}
        </Text>
        {status.needs.length > 0 && (
          <Stack gap={2} mt="auto">
            {status.needs.map((need) => (
              <Text key={need} size="xs" c="dimmed">
                • {need}
              </Text>
            ))}
          </Stack>
        )}
      </Stack>
    </Card>
  );
}

export function DashboardPage() {
  const health = useHealth();
  const providers = useProviders();
  return (
    <Stack>
      <div>
        <Title order={1}>Studios</Title>
        <Text c="dimmed">
          {health.data?.status === 'degraded'
            ? 'Some services are degraded; check the status below.'
            : 'Pick a studio to start. Status updates live.'}
        </Text>
      </div>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
        {STUDIOS.map((studio) => (
          <StudioCard
            key={studio.id}
            studio={studio}
            status={studioStatus(studio, { health: health.data, providers: providers.data?.providers })}
          />
        ))}
      </SimpleGrid>
    </Stack>
  );
}
