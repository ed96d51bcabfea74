import { Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';

/** A visible label above a control that names itself by it (sliders, segmented controls). */
export function Labelled({ label, id, children }: { label: string; id: string; children: ReactNode }) {
  return (
    <Stack gap={2}>
      <Text size="sm" fw={500} id={id}>
        {label}
      </Text>
      {children}
    </Stack>
  );
}
