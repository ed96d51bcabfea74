import { Badge, Text } from '@mantine/core';
import type { StudioJobResult } from '../../api/studio.ts';
import { StudioResult } from '../../components/studio/StudioResult.tsx';

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v : null);
const int = (v: unknown): number | null => (typeof v === 'number' ? v : null);

/** A finished upscale: the shared result panel, plus the input's size, the mode and why Auto chose it. */
export function ResultPanel({ result }: { result: StudioJobResult }) {
  const m = result.metadata;
  const note = text(m.note);
  const autoReason = text(m.auto_reason);
  const mode = text(m.mode) ?? result.operation.replace('upscale.', '');
  const inputW = int(m.input_width);
  const inputH = int(m.input_height);
  return (
    <StudioResult
      result={result}
      testId="upscale"
      afterLabel="upscaled"
      sizeNote={inputW && inputH ? `from ${inputW}×${inputH}` : undefined}
      badges={<Badge variant="light">{mode}</Badge>}
    >
      {autoReason && (
        <Text size="sm" c="dimmed">
          Auto chose this: {autoReason}.
        </Text>
      )}
      {note && (
        <Text size="sm" c="orange" data-testid="upscale-note">
          Note: {note}.
        </Text>
      )}
    </StudioResult>
  );
}
