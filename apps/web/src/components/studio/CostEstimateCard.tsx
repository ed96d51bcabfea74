import { Alert, Badge, Group, Paper, Stack, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { type EstimateInput, studio } from '../../api/studio.ts';
import { Busy } from '../Busy.tsx';
import { formatUsd } from '../format.ts';

function level(total: number): { label: string; color: string } {
  if (total === 0) {
    return { label: 'Free', color: 'teal' };
  }
  if (total < 0.5) {
    return { label: 'Low cost', color: 'green' };
  }
  if (total < 2) {
    return { label: 'Medium cost', color: 'yellow' };
  }
  return { label: 'Premium cost', color: 'orange' };
}

/** The live estimate from /estimate-cost: the same price function the charge uses. */
export function CostEstimateCard({ input }: { input: EstimateInput }) {
  const [body] = useDebouncedValue(input, 250);
  const estimate = useQuery({
    queryKey: ['estimate', body],
    queryFn: ({ signal }) => studio.estimate(body, signal),
    placeholderData: (previous) => previous,
    meta: { silent: true },
  });
  const e = estimate.data;
  return (
    <Paper
      withBorder
      p="sm"
      aria-live="polite"
      data-testid="cost-estimate"
      data-num-images={e?.num_images}
      data-updating={estimate.isFetching || body !== input}
    >
      {!e ? (
        estimate.isError ? (
          <Text size="sm" c="red">
            {estimate.error.message}
          </Text>
        ) : (
          <Busy size="sm" label="Estimating cost" />
        )
      ) : (
        <Stack gap={6}>
          <Group justify="space-between">
            <Text size="sm" fw={600}>
              Estimated cost
            </Text>
            <Badge color={level(e.total_cost).color} variant="light">
              {level(e.total_cost).label}
            </Badge>
          </Group>
          <Group justify="space-between" align="baseline">
            <Text size="xl" fw={700} data-testid="estimate-total">
              {formatUsd(e.total_cost)}
            </Text>
            <Text size="sm" c="dimmed">
              {formatUsd(e.cost_per_image)} × {e.num_images} ·{' '}
              <span data-testid="estimate-credits" data-credits={e.total_credits}>
                {e.total_credits} credits
              </span>
            </Text>
          </Group>
          <Text size="xs" c="dimmed">
            {e.auto
              ? `Auto picks ${e.auto.provider} / ${e.auto.model}. `
              : `${e.provider}${e.model ? ` / ${e.model}` : ''}. `}
            Balance {Math.floor(e.balance)} credits. Charged only for what is delivered.
          </Text>
          {!e.can_afford && (
            <Alert color="red" p="xs">
              Not enough credits for this run.
            </Alert>
          )}
          {!e.within_plan && (
            <Alert color="yellow" p="xs">
              Your plan does not allow this provider, batch size or output size.
            </Alert>
          )}
          {estimate.isFetching && <Busy size="xs" label="Updating estimate" />}
        </Stack>
      )}
    </Paper>
  );
}
