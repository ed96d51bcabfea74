import { Alert, Badge, Card, Group, Radio, Stack, Text } from '@mantine/core';
import type { EditOperation, EditOperationsT } from '../../api/edit.ts';
import { Busy } from '../../components/Busy.tsx';
import { GUIDES, keyNeed, OPERATION_ORDER } from './editOptions.ts';

/** Every operation with a line on what it does; one the user has no key for is shown but disabled. */
export function OperationPicker({
  value,
  onChange,
  operations,
  error,
  providerLabel,
}: {
  value: EditOperation;
  onChange: (op: EditOperation) => void;
  operations: EditOperationsT['operations'] | undefined;
  error: string | null;
  providerLabel: (provider: string) => string;
}) {
  return (
    <Card withBorder>
      <Radio.Group
        label={
          <Text fw={600} span>
            2. Operation
          </Text>
        }
        value={value}
        onChange={(v) => onChange(v as EditOperation)}
      >
        {!operations && !error && <Busy size="sm" mt="xs" label="Loading operations" />}
        {error && (
          <Alert color="red" mt="xs" p="xs">
            {error}
          </Alert>
        )}
        <Stack gap={6} mt="xs">
          {operations &&
            OPERATION_ORDER.map((op) => {
              const info = operations[op];
              if (!info) {
                return null;
              }
              const need = info.available ? null : keyNeed(info, providerLabel);
              return (
                <Radio.Card
                  key={op}
                  value={op}
                  p="xs"
                  radius="md"
                  disabled={!info.available}
                  data-testid={`op-${op}`}
                  style={info.available ? undefined : { opacity: 0.6, cursor: 'not-allowed' }}
                >
                  <Group wrap="nowrap" align="flex-start" gap="sm">
                    <Radio.Indicator mt={2} disabled={!info.available} />
                    <div style={{ minWidth: 0 }}>
                      <Group gap={6}>
                        <Text fw={600} size="sm">
                          {info.label}
                        </Text>
                        {need ? (
                          <Badge size="xs" color="orange" variant="light">
                            {need}
                          </Badge>
                        ) : info.price_credits === 0 ? (
                          <Badge size="xs" color="teal" variant="light">
                            Free
                          </Badge>
                        ) : (
                          <Badge size="xs" color="yellow" variant="light">
                            {info.price_credits} credits
                          </Badge>
                        )}
                      </Group>
                      <Text size="xs" c="dimmed">
                        {GUIDES[op].blurb}
                      </Text>
                    </div>
                  </Group>
                </Radio.Card>
              );
            })}
        </Stack>
      </Radio.Group>
    </Card>
  );
}
