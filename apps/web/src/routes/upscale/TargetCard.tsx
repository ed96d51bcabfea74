import { Card, Group, NumberInput, SegmentedControl, Stack, Text } from '@mantine/core';
import {
  MAX_OUTPUT_PIXELS,
  MAX_SIDE,
  MIN_SIDE,
  PRESETS,
  type Size,
  TARGET_CHOICES,
  type TargetChoice,
  type TargetState,
} from './upscaleOptions.ts';

const sideOf = (v: string | number): number | null => (typeof v === 'number' && v > 0 ? v : null);

function describe(choice: TargetChoice): string {
  switch (choice) {
    case '2x':
      return 'Twice the width and height (4× the pixels).';
    case '4x':
      return 'Four times the width and height: the local network’s native factor.';
    case 'exact':
      return 'Give a width, a height or both. With both, a different aspect ratio is reached by a centred crop.';
    default:
      return PRESETS.find((p) => p.value === choice)?.description ?? '';
  }
}

/** Where the upscale goes: a factor, a preset or an exact size; shows the output size it makes. */
export function TargetCard({
  value,
  onChange,
  source,
  output,
}: {
  value: TargetState;
  onChange: (next: TargetState) => void;
  source: Size | null;
  output: Size | null;
}) {
  const tooLarge = output !== null && output.width * output.height > MAX_OUTPUT_PIXELS;
  const smaller =
    source !== null && output !== null && output.width <= source.width && output.height <= source.height;
  return (
    <Card withBorder>
      <Text fw={600} mb="xs" id="upscale-target-label">
        2. Output size
      </Text>
      <Stack gap="xs">
        <SegmentedControl
          aria-labelledby="upscale-target-label"
          fullWidth
          data={TARGET_CHOICES.map((c) => ({ value: c.value, label: c.label }))}
          value={value.choice}
          onChange={(v) => onChange({ ...value, choice: v as TargetChoice })}
        />
        <Text size="xs" c="dimmed">
          {describe(value.choice)}
        </Text>
        {value.choice === 'exact' && (
          <Group grow align="flex-start">
            <NumberInput
              label="Width (px)"
              placeholder={output && !value.width ? String(output.width) : 'Auto'}
              min={MIN_SIDE}
              max={MAX_SIDE}
              clampBehavior="none"
              allowDecimal={false}
              allowNegative={false}
              value={value.width ?? ''}
              onChange={(v) => onChange({ ...value, width: sideOf(v) })}
            />
            <NumberInput
              label="Height (px)"
              placeholder={output && !value.height ? String(output.height) : 'Auto'}
              min={MIN_SIDE}
              max={MAX_SIDE}
              clampBehavior="none"
              allowDecimal={false}
              allowNegative={false}
              value={value.height ?? ''}
              onChange={(v) => onChange({ ...value, height: sideOf(v) })}
            />
          </Group>
        )}
        <Text size="sm" aria-live="polite">
          Output:{' '}
          <Text span fw={600} data-testid="upscale-planned-size">
            {output ? `${output.width}×${output.height}` : '—'}
          </Text>
          {source && output && (
            <Text span c="dimmed">
              {' '}
              from {source.width}×{source.height} (
              {Math.max(output.width / source.width, output.height / source.height).toFixed(2)}×)
            </Text>
          )}
        </Text>
        {tooLarge && (
          <Text size="xs" c="orange">
            That is {(output.width * output.height).toLocaleString('en')} pixels; the server makes at most{' '}
            {MAX_OUTPUT_PIXELS.toLocaleString('en')}.
          </Text>
        )}
        {smaller && !tooLarge && (
          <Text size="xs" c="orange">
            The output is not larger than the image: this resizes it without upscaling.
          </Text>
        )}
      </Stack>
    </Card>
  );
}
