import { Badge, Card, Group, Pagination, Progress, SimpleGrid, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { formatBytes, formatDateTime, formatUsd } from '../../components/format.ts';
import { PageLoader } from '../../components/PageLoader.tsx';
import { useCreditHistory, useCredits } from '../../hooks/useCredits.ts';

const PAGE_SIZE = 25;
const KIND_COLOR: Record<string, string> = {
  grant: 'teal',
  monthly_allowance: 'teal',
  reserve: 'yellow',
  capture: 'violet',
  release: 'gray',
  refund: 'teal',
};

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <Card withBorder padding="sm">
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={700} size="lg">
        {value}
      </Text>
    </Card>
  );
}

export function PlanPanel() {
  const credits = useCredits();
  const [page, setPage] = useState(1);
  const history = useCreditHistory(page);
  if (credits.isPending) {
    return <PageLoader />;
  }
  const c = credits.data;
  if (!c) {
    return null;
  }
  const used = c.monthly_allowance > 0 ? Math.min(100, (c.used_this_month / c.monthly_allowance) * 100) : 0;
  // One decimal: aria-valuenow must be a plain number, and a tiny share prints in exponent form.
  const stored = Math.min(100, Math.round((c.storage.used_bytes / c.storage.limit_bytes) * 1000) / 10);
  return (
    <Stack>
      <Group gap="xs">
        <Text fw={600}>{c.plan.label} plan</Text>
        <Badge variant="light">{c.period}</Badge>
      </Group>
      <SimpleGrid cols={{ base: 2, sm: 4 }}>
        <Stat label="Balance" value={`${Math.floor(c.balance).toLocaleString()} credits`} />
        <Stat label="Worth" value={formatUsd(c.balance / 100)} />
        <Stat label="Used this month" value={`${c.used_this_month.toLocaleString()} credits`} />
        <Stat label="Held by running jobs" value={`${c.reserved.toLocaleString()} credits`} />
      </SimpleGrid>
      <Stack gap={4}>
        <Text size="sm">
          {c.used_this_month.toLocaleString()} of {c.monthly_allowance.toLocaleString()} monthly credits used
        </Text>
        <Progress value={used} aria-label="Monthly credits used" />
      </Stack>
      <Stack gap={4}>
        <Text size="sm">
          {formatBytes(c.storage.used_bytes)} of {formatBytes(c.storage.limit_bytes)} storage used (trash
          included)
        </Text>
        <Progress
          value={stored}
          color={stored >= 90 ? 'red' : undefined}
          aria-label="Storage used"
          data-testid="storage-usage"
        />
      </Stack>
      <Text size="sm" c="dimmed">
        Up to {c.plan.max_variations} variations per run, {c.plan.max_side} px longest side, providers:{' '}
        {c.plan.providers.join(', ')}.
      </Text>
      <Text fw={600}>Credit history</Text>
      {history.data && history.data.items.length > 0 ? (
        <>
          <Table.ScrollContainer minWidth={560}>
            <Table striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>When</Table.Th>
                  <Table.Th>Kind</Table.Th>
                  <Table.Th ta="right">Change</Table.Th>
                  <Table.Th ta="right">Balance</Table.Th>
                  <Table.Th>Note</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {history.data.items.map((e) => (
                  <Table.Tr key={e.id}>
                    <Table.Td>{formatDateTime(e.created_at)}</Table.Td>
                    <Table.Td>
                      <Badge size="sm" variant="light" color={KIND_COLOR[e.kind] ?? 'gray'}>
                        {e.kind.replace('_', ' ')}
                      </Badge>
                    </Table.Td>
                    <Table.Td ta="right">{e.amount > 0 ? `+${e.amount}` : e.amount}</Table.Td>
                    <Table.Td ta="right">{e.balance_after}</Table.Td>
                    <Table.Td>{e.note ?? '—'}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {history.data.total > PAGE_SIZE && (
            <Pagination total={Math.ceil(history.data.total / PAGE_SIZE)} value={page} onChange={setPage} />
          )}
        </>
      ) : (
        <Text size="sm" c="dimmed">
          No credit activity yet.
        </Text>
      )}
    </Stack>
  );
}
