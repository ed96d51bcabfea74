import { Slider, Stack, Text } from '@mantine/core';
import { type ChosenSource, fromAsset, fromFile, release } from '../../components/studio/chosenSource.ts';
import { SourceCard } from '../../components/studio/SourceCard.tsx';

/** Create's optional reference image (image-to-image) and how far the result may move from it. */
export function ReferencePicker({
  value,
  onChange,
  strength,
  onStrength,
  disabled,
}: {
  value: ChosenSource | null;
  onChange: (chosen: ChosenSource | null) => void;
  strength: number;
  onStrength: (strength: number) => void;
  disabled: boolean;
}) {
  const replace = (next: ChosenSource | null) => {
    release(value);
    onChange(next);
  };
  return (
    <Stack gap="xs">
      <SourceCard
        title="Reference image (optional)"
        testId="reference"
        chosen={value}
        onFile={(file) => replace(fromFile(file))}
        onAsset={(asset) => replace(fromAsset(asset))}
        onClear={() => replace(null)}
        onSize={(size) => value && onChange({ ...value, ...size })}
        disabled={disabled}
        hint="Start from an image: drop it here, or choose one"
      />
      {value && (
        <Stack gap={4}>
          <Text size="sm" fw={500} id="reference-strength-label">
            Strength: {strength.toFixed(2)}
          </Text>
          <Slider
            aria-labelledby="reference-strength-label"
            thumbLabel="Reference strength"
            min={0}
            max={1}
            step={0.05}
            value={strength}
            onChange={onStrength}
            disabled={disabled}
            marks={[
              { value: 0, label: 'Keep' },
              { value: 1, label: 'Ignore' },
            ]}
            mb="md"
          />
          <Text size="xs" c="dimmed">
            0 keeps the reference as it is; 1 ignores it and follows the prompt alone.
          </Text>
        </Stack>
      )}
    </Stack>
  );
}
