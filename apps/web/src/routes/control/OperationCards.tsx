import { Alert, Badge, Card, Group, Radio, SimpleGrid, Text } from '@mantine/core';
import type { ControlOperation, ControlOperationsT } from '../../api/control.ts';
import { Busy } from '../../components/Busy.tsx';
import { OPERATIONS } from './controlOptions.ts';

/** The four control operations with what each does and its price, as the server lists them. */
export function OperationCards({
  value,
  onChange,
  operations,
  error,
}: {
  value: ControlOperation;
  onChange: (op: ControlOperation) => void;
  operations: ControlOperationsT['operations'] | undefined;
  error: string | null;
}) {
  return (
    <Card withBorder>
      <Radio.Group
        label={
          <Text fw={600} span>
            1. Operation
          </Text>
        }
        value={value}
        onChange={(v) => {
          const op = OPERATIONS.find((o) => o === v);
          if (op) {
            onChange(op);
          }
        }}
      >
        {!operations && !error && <Busy size="sm" mt="xs" label="Loading operations" />}
        {error && (
          <Alert color="red" mt="xs" p="xs">
            {error}
          </Alert>
        )}
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing={6} mt="xs">
          {operations &&
            OPERATIONS.map((op) => {
              const info = operations[op];
              if (!info) {
                return null;
              }
              return (
                <Radio.Card key={op} value={op} p="xs" radius="md" data-testid={`control-op-${op}`}>
                  <Group wrap="nowrap" align="flex-start" gap="sm">
                    <Radio.Indicator mt={2} />
                    <div style={{ minWidth: 0 }}>
                      <Group gap={6}>
                        <Text fw={600} size="sm">
                          {info.label}
                        </Text>
                        <Badge size="xs" color="yellow" variant="light">
                          {info.price_credits} credits
                        </Badge>
                      </Group>
                      <Text size="xs" c="dimmed">
                        {info.description}
                      </Text>
                    </div>
                  </Group>
                </Radio.Card>
              );
            })}
        </SimpleGrid>
      </Radio.Group>
    </Card>
  );
}
