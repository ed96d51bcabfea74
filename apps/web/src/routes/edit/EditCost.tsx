import { Alert, Text } from '@mantine/core';
import { useCredits } from '../../hooks/useCredits.ts';

/** The price of the chosen operation before running: free on this server, else the cloud price. */
export function EditCost({ credits, route }: { credits: number | null; route: 'local' | 'cloud' }) {
  const balance = useCredits().data?.balance;
  if (credits === null) {
    return null;
  }
  return (
    <div aria-live="polite" data-testid="edit-cost" data-credits={credits}>
      <Text size="sm" fw={600}>
        Cost: {credits === 0 ? 'free (0 credits)' : `${credits} credits`}
      </Text>
      <Text size="xs" c="dimmed">
        {route === 'local'
          ? 'Runs on this server. '
          : 'Runs at a cloud provider; charged only when delivered. '}
        {balance !== undefined ? `Balance ${Math.floor(balance)} credits.` : ''}
      </Text>
      {balance !== undefined && balance < credits && (
        <Alert color="red" p="xs" mt={4}>
          Not enough credits for this run.
        </Alert>
      )}
    </div>
  );
}
