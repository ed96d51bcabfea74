import { Loader, type LoaderProps } from '@mantine/core';

/**
 * A spinner that says what is happening. Mantine's Loader is a plain span, and a label on an element
 * without a role is not announced (axe: aria-prohibited-attr), so every spinner is a status.
 */
export function Busy({ label, ...props }: LoaderProps & { label: string }) {
  return <Loader role="status" aria-label={label} {...props} />;
}
