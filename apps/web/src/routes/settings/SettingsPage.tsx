import { Stack, Tabs, Text, Title } from '@mantine/core';
import {
  IconCoins,
  IconKey,
  IconPlugConnected,
  IconUserCircle,
  IconUserStar,
  IconUsers,
} from '@tabler/icons-react';
import { useSearchParams } from 'react-router';
import { useMe } from '../../hooks/useAuth.ts';
import { AccountPanel } from './AccountPanel.tsx';
import { PersonasPanel } from './PersonasPanel.tsx';
import { PlanPanel } from './PlanPanel.tsx';
import { ProviderKeysPanel } from './ProviderKeysPanel.tsx';
import { TokensPanel } from './TokensPanel.tsx';
import { UsersPanel } from './UsersPanel.tsx';

const TABS = [
  { value: 'tokens', label: 'API tokens', icon: IconKey, panel: TokensPanel },
  { value: 'keys', label: 'Provider keys', icon: IconPlugConnected, panel: ProviderKeysPanel },
  { value: 'personas', label: 'Brand personas', icon: IconUserStar, panel: PersonasPanel },
  { value: 'plan', label: 'Plan & credits', icon: IconCoins, panel: PlanPanel },
  { value: 'account', label: 'Account', icon: IconUserCircle, panel: AccountPanel },
  { value: 'users', label: 'Users', icon: IconUsers, panel: UsersPanel, adminOnly: true },
] as const;

export default function SettingsPage() {
  const [params, setParams] = useSearchParams();
  const isAdmin = useMe().data?.role === 'admin';
  const tabs = TABS.filter((t) => !('adminOnly' in t) || isAdmin);
  const tab = tabs.find((t) => t.value === params.get('tab'))?.value ?? 'tokens';
  return (
    <Stack>
      <div>
        <Title order={1}>Settings</Title>
        <Text c="dimmed">
          Your API tokens, provider keys, brand personas, plan and account{isAdmin ? ', and the users' : ''}.
        </Text>
      </div>
      <Tabs
        value={tab}
        onChange={(value) => setParams(value ? { tab: value } : {}, { replace: true })}
        keepMounted={false}
      >
        <Tabs.List>
          {tabs.map((t) => (
            <Tabs.Tab key={t.value} value={t.value} leftSection={<t.icon size={16} />}>
              {t.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {tabs.map((t) => (
          <Tabs.Panel key={t.value} value={t.value} pt="md">
            <t.panel />
          </Tabs.Panel>
        ))}
      </Tabs>
    </Stack>
  );
}
