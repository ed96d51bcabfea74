import { Badge, Tooltip } from '@mantine/core';
import { IconCoins } from '@tabler/icons-react';
import { Link } from 'react-router';
import { useCredits } from '../hooks/useCredits.ts';
import { formatUsd } from './format.ts';

export function CreditsBadge() {
  const credits = useCredits();
  if (!credits.data) {
    return null;
  }
  const { balance, plan, reserved } = credits.data;
  const shown = Math.floor(balance).toLocaleString();
  return (
    <Tooltip
      label={`${plan.label} plan · ${formatUsd(balance / 100)}${reserved ? ` · ${reserved} held by running jobs` : ''}`}
    >
      <Badge
        component={Link}
        to="/settings?tab=plan"
        size="lg"
        variant="light"
        leftSection={<IconCoins size={14} />}
        style={{ cursor: 'pointer', textTransform: 'none' }}
        // The name starts with the number shown, so voice control users can say what they see.
        aria-label={`${shown} credits`}
        data-testid="credits-balance"
        data-credits={balance}
      >
        {shown}
      </Badge>
    </Tooltip>
  );
}
