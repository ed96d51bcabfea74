import { SegmentedControl, Slider, Stack } from '@mantine/core';
import type { FieldState, LightDirection } from './editFields.ts';
import { ImageField } from './ImageField.tsx';
import { Labelled } from './Labelled.tsx';

const DIRECTIONS: { value: LightDirection | 'none'; label: string }[] = [
  { value: 'none', label: 'As is' },
  { value: 'left', label: 'Left' },
  { value: 'right', label: 'Right' },
  { value: 'above', label: 'Above' },
  { value: 'below', label: 'Below' },
];

const isDirection = (v: string): v is LightDirection => ['left', 'right', 'above', 'below'].includes(v);

/** Relight's inputs beside the prompt: a background image, where the light comes from, how much of the subject to keep. */
export function RelightFields({
  value,
  onChange,
}: {
  value: FieldState;
  onChange: (next: FieldState) => void;
}) {
  const set = <K extends keyof FieldState>(key: K, v: FieldState[K]) => onChange({ ...value, [key]: v });
  return (
    <Stack gap="sm">
      <ImageField
        label="Background image"
        description="Instead of, or beside, the description above."
        value={value.backgroundImage}
        onChange={(file) => set('backgroundImage', file)}
      />
      <Labelled label="Light comes from" id="light-direction-label">
        <SegmentedControl
          aria-labelledby="light-direction-label"
          value={value.lightDirection ?? 'none'}
          onChange={(v) => set('lightDirection', isDirection(v) ? v : null)}
          data={DIRECTIONS}
        />
      </Labelled>
      {value.lightDirection && (
        <Labelled
          label={`Light strength: ${Math.round(value.lightStrength * 100)}%`}
          id="light-strength-label"
        >
          <Slider
            aria-labelledby="light-strength-label"
            thumbLabel="Light strength"
            min={0}
            max={1}
            step={0.05}
            label={null}
            value={value.lightStrength}
            onChange={(v) => set('lightStrength', v)}
          />
        </Labelled>
      )}
      <Labelled
        label={`Preserve subject: ${Math.round(value.preserveSubject * 100)}%`}
        id="preserve-subject-label"
      >
        <Slider
          aria-labelledby="preserve-subject-label"
          thumbLabel="Preserve subject"
          min={0}
          max={1}
          step={0.05}
          label={null}
          value={value.preserveSubject}
          onChange={(v) => set('preserveSubject', v)}
        />
      </Labelled>
    </Stack>
  );
}
