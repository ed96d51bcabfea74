import {
  Card,
  Group,
  NumberInput,
  SegmentedControl,
  Select,
  Slider,
  Stack,
  Text,
  Textarea,
} from '@mantine/core';
import type { ControlOperationInfo } from '../../api/control.ts';
import {
  ASPECTS,
  aspectValue,
  type ControlState,
  FORMATS,
  SEED_MAX,
  SLIDER_RANGE,
  SLIDERS,
  sliderValue,
} from './controlOptions.ts';

/** Prompt, the sliders the operation takes (with the server's defaults), aspect, seed and format. */
export function ControlSettings({
  info,
  value,
  onChange,
  promptError,
}: {
  info: ControlOperationInfo;
  value: ControlState;
  onChange: (next: ControlState) => void;
  promptError: string | undefined;
}) {
  const set = (patch: Partial<ControlState>) => onChange({ ...value, ...patch });
  const sliders = SLIDERS.filter((s) => info.fields[s.name]);
  return (
    <Card withBorder>
      <Stack gap="sm">
        <Text fw={600}>3. Prompt and settings</Text>
        <Textarea
          label="Prompt"
          placeholder="E.g., A watercolour lighthouse on a cliff at dawn"
          autosize
          minRows={2}
          maxRows={6}
          required
          error={promptError}
          value={value.prompt}
          onChange={(e) => set({ prompt: e.currentTarget.value })}
        />
        <Textarea
          label="Negative prompt"
          placeholder="What to avoid: text, watermark, blur…"
          autosize
          minRows={1}
          value={value.negative}
          onChange={(e) => set({ negative: e.currentTarget.value })}
        />
        {sliders.map((s) => {
          const current = sliderValue(info, value, s.name);
          const id = `control-${s.name}`;
          return (
            <Stack gap={2} key={s.name}>
              <Group justify="space-between">
                <Text size="sm" fw={500}>
                  {s.label}
                </Text>
                <Text size="sm" c="dimmed" data-testid={`${id}-value`}>
                  {current.toFixed(2)}
                </Text>
              </Group>
              <Slider
                thumbLabel={s.label}
                min={SLIDER_RANGE.min}
                max={SLIDER_RANGE.max}
                step={SLIDER_RANGE.step}
                value={current}
                label={(v) => v.toFixed(2)}
                onChange={(v) => set({ sliders: { ...value.sliders, [s.name]: v } })}
              />
              <Text size="xs" c="dimmed">
                {s.help}
              </Text>
            </Stack>
          );
        })}
        {info.fields.aspect_ratio && (
          <Select
            label="Aspect ratio"
            data={ASPECTS.map((a) => ({ value: a, label: a }))}
            value={aspectValue(info, value)}
            allowDeselect={false}
            onChange={(v) => set({ aspect: ASPECTS.find((a) => a === v) ?? null })}
          />
        )}
        <Group grow align="flex-start">
          <NumberInput
            label="Seed"
            placeholder="Random"
            min={0}
            max={SEED_MAX}
            allowDecimal={false}
            allowNegative={false}
            value={value.seed ?? ''}
            onChange={(v) => set({ seed: typeof v === 'number' ? v : null })}
          />
          <Stack gap={4}>
            <Text size="sm" fw={500} id="control-format-label">
              Output format
            </Text>
            <SegmentedControl
              aria-labelledby="control-format-label"
              value={value.format}
              onChange={(v) => set({ format: FORMATS.find((f) => f === v) ?? 'png' })}
              data={FORMATS.map((f) => ({ value: f, label: f.toUpperCase() }))}
            />
          </Stack>
        </Group>
      </Stack>
    </Card>
  );
}
