import { Alert, Group, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { type EstimateInput, studio } from '../../api/studio.ts';
import { Busy } from '../../components/Busy.tsx';
import { formatUsd } from '../../components/format.ts';
import type { Plan, Size } from './upscaleOptions.ts';

/** The price before running, from the same estimate the charge uses; local work costs 0 credits. */
export function CostLine({ plan, output }: { plan: Plan; output: Size | null }) {
  const input: EstimateInput =
    plan.route === 'local'
      ? { operation: `process.upscale_${plan.mode}` }
      : { provider: 'stability', operation: `upscale.${plan.mode}`, ...(output ?? {}) };
  const [body] = useDebouncedValue(input, 250);
  const estimate = useQuery({
    queryKey: ['estimate', body],
    queryFn: ({ signal }) => studio.estimate(body, signal),
    placeholderData: (previous) => previous,
    meta: { silent: true },
  });
  const e = estimate.data;
  if (!e) {
    return estimate.isError ? (
      <Text size="sm" c="red">
        {estimate.error.message}
      </Text>
    ) : (
      <Busy size="xs" label="Estimating cost" />
    );
  }
  return (
    <div aria-live="polite" data-testid="upscale-cost" data-credits={e.total_credits}>
      <Group gap={6}>
        <Text size="sm" fw={600}>
          Cost:{' '}
          {e.total_credits === 0
            ? 'free (0 credits)'
            : `${e.total_credits} credits (${formatUsd(e.total_cost)})`}
        </Text>
        {estimate.isFetching && <Busy size="xs" label="Updating estimate" />}
      </Group>
      <Text size="xs" c="dimmed">
        {e.total_credits === 0 ? 'Runs on this server. ' : 'Charged only when the image is delivered. '}
        Balance {Math.floor(e.balance)} credits.
      </Text>
      {!e.can_afford && (
        <Alert color="red" p="xs" mt={4}>
          Not enough credits for this run.
        </Alert>
      )}
      {!e.within_plan && (
        <Alert color="yellow" p="xs" mt={4}>
          Your plan does not allow this provider or output size.
        </Alert>
      )}
    </div>
  );
}
