import { Chip, Group, NumberInput, Stack, Text } from '@mantine/core';
import type { ProviderModelT } from '../../api/providers.ts';
import {
  ASPECT_PRESETS,
  type AspectPreset,
  generatedSize,
  matchingPreset,
  presetSize,
  SIDE,
  type Size,
  sizeProblem,
} from './createSize.ts';

export interface SizeState {
  /** Null: the template's size (or the server's default without a template). */
  custom: { width: number | null; height: number | null } | null;
}

const DEFAULT_LONG_SIDE = 1024;

/** Aspect presets and a free width × height, with the size that will come out and how it is made. */
export function SizePicker({
  value,
  onChange,
  templateSize,
  model,
}: {
  value: SizeState;
  onChange: (next: SizeState) => void;
  /** The chosen template's size, if any. */
  templateSize: Size | null;
  /** The explicitly chosen model, whose native sizes say how the image is generated. */
  model: ProviderModelT | null;
}) {
  const custom = value.custom;
  const base = templateSize ?? { width: 1024, height: 1024 };
  const widthError = custom ? sizeProblem(custom.width, 'Width') : null;
  const heightError = custom ? sizeProblem(custom.height, 'Height') : null;
  const out: Size | null =
    custom === null
      ? base
      : custom.width && custom.height && !widthError && !heightError
        ? { width: custom.width, height: custom.height }
        : null;
  const preset = custom && out ? matchingPreset(out) : null;
  const native = out && model ? generatedSize(model, out) : null;
  const pick = (aspect: AspectPreset) => {
    const long = out ? Math.max(out.width, out.height) : DEFAULT_LONG_SIDE;
    onChange({ custom: presetSize(aspect, long) });
  };
  return (
    <Stack gap={6} data-testid="create-size">
      <Text size="sm" fw={500}>
        Size
      </Text>
      <Group gap={6}>
        <Chip size="xs" checked={custom === null} onChange={() => onChange({ custom: null })}>
          {templateSize ? 'Template size' : 'Default'}
        </Chip>
        {ASPECT_PRESETS.map((a) => (
          <Chip key={a} size="xs" checked={preset === a} onChange={() => pick(a)}>
            {a}
          </Chip>
        ))}
      </Group>
      <Group grow align="flex-start">
        <NumberInput
          label="Width"
          suffix=" px"
          min={SIDE.min}
          max={SIDE.max}
          allowDecimal={false}
          allowNegative={false}
          clampBehavior="none"
          value={custom?.width ?? base.width}
          error={widthError}
          onChange={(v) =>
            onChange({
              custom: { width: typeof v === 'number' ? v : null, height: custom?.height ?? base.height },
            })
          }
        />
        <NumberInput
          label="Height"
          suffix=" px"
          min={SIDE.min}
          max={SIDE.max}
          allowDecimal={false}
          allowNegative={false}
          clampBehavior="none"
          value={custom?.height ?? base.height}
          error={heightError}
          onChange={(v) =>
            onChange({
              custom: { width: custom?.width ?? base.width, height: typeof v === 'number' ? v : null },
            })
          }
        />
      </Group>
      {out && (
        <Text size="xs" c="dimmed" data-testid="create-output-size">
          Comes out at {out.width}×{out.height}
          {native && (native.width !== out.width || native.height !== out.height)
            ? `: ${model?.label ?? 'the model'} generates ${native.width}×${native.height}, then it is fitted exactly.`
            : '.'}
        </Text>
      )}
    </Stack>
  );
}
