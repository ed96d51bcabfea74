import { Button, Group, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { codeOf, messageOf } from '../api/errors.ts';

/** A toast with the server's message and, when the action can be repeated, a Retry button. */
export function notifyError(error: unknown, retry?: () => void, title = 'Something went wrong'): void {
  const id = `error-${codeOf(error) ?? 'unknown'}-${messageOf(error)}`;
  notifications.show({
    id,
    color: 'red',
    title,
    autoClose: retry ? 10_000 : 6_000,
    message: (
      <Group justify="space-between" wrap="nowrap" gap="xs">
        <Text size="sm" style={{ flex: 1, minWidth: 0 }}>
          {messageOf(error)}
        </Text>
        {retry && (
          <Button
            style={{ flexShrink: 0 }}
            size="compact-xs"
            variant="light"
            color="red"
            onClick={() => {
              notifications.hide(id);
              retry();
            }}
          >
            Retry
          </Button>
        )}
      </Group>
    ),
  });
}

export function notifySuccess(message: string, title?: string): void {
  notifications.show({ color: 'teal', title, message, autoClose: 4_000 });
}
