import {
  Card,
  ColorInput,
  Group,
  SegmentedControl,
  Select,
  Slider,
  Stack,
  Switch,
  Text,
} from '@mantine/core';
import {
  CROP_MODES,
  type CropMode,
  FIT_BACKGROUNDS,
  type FitBackground,
  OUTPUT_FORMATS,
  type OutputFormat,
  type SocialSettings,
} from './socialOptions.ts';

/** Crop mode, fit background, output encoding and the safe-zone overlay. */
export function OptionsPanel({
  value,
  onChange,
}: {
  value: SocialSettings;
  onChange: (next: SocialSettings) => void;
}) {
  const set = <K extends keyof SocialSettings>(key: K, v: SocialSettings[K]) =>
    onChange({ ...value, [key]: v });
  const format = OUTPUT_FORMATS.find((f) => f.value === value.outputFormat);
  return (
    <Card withBorder>
      <Text fw={600} mb="xs">
        3. Options
      </Text>
      <Stack gap="md">
        <Stack gap={4}>
          <Text size="sm" fw={500} id="crop-mode-label">
            Crop mode
          </Text>
          <SegmentedControl
            aria-labelledby="crop-mode-label"
            value={value.cropMode}
            onChange={(v) => set('cropMode', v as CropMode)}
            data={CROP_MODES.map((m) => ({ value: m.value, label: m.label }))}
          />
          <Text size="xs" c="dimmed">
            {CROP_MODES.find((m) => m.value === value.cropMode)?.description}
          </Text>
        </Stack>
        {value.cropMode === 'fit' && (
          <Group grow align="flex-start">
            <Select
              label="Background"
              data={FIT_BACKGROUNDS.map((b) => ({ value: b.value, label: b.label }))}
              value={value.fitBackground}
              onChange={(v) => v && set('fitBackground', v as FitBackground)}
              allowDeselect={false}
            />
            <ColorInput
              label="Background colour"
              value={value.backgroundColor}
              onChange={(v) => /^#[0-9a-fA-F]{6}$/.test(v) && set('backgroundColor', v)}
              format="hex"
              disabled={value.fitBackground !== 'color'}
            />
          </Group>
        )}
        <Group grow align="flex-start">
          <Select
            label="Output format"
            data={OUTPUT_FORMATS.map((f) => ({ value: f.value, label: f.label }))}
            value={value.outputFormat}
            onChange={(v) => {
              const next = OUTPUT_FORMATS.find((f) => f.value === v);
              if (next) {
                onChange({
                  ...value,
                  outputFormat: next.value as OutputFormat,
                  quality: next.quality ?? value.quality,
                });
              }
            }}
            allowDeselect={false}
          />
          <Stack gap={4}>
            <Text size="sm" fw={500} id="quality-label">
              Quality {format?.quality === null ? '(lossless)' : value.quality}
            </Text>
            <Slider
              aria-labelledby="quality-label"
              thumbLabel="Quality"
              min={40}
              max={100}
              value={value.quality}
              onChange={(v) => set('quality', v)}
              disabled={format?.quality === null}
              mt={8}
            />
          </Stack>
        </Group>
        <Text size="xs" c="dimmed">
          An export over a platform's upload limit is re-encoded at a lower quality until it fits.
        </Text>
        <Switch
          label="Show safe zones on the results"
          description="Shades the edges that platform buttons and captions cover; the files stay clean."
          checked={value.showSafeZones}
          onChange={(e) => set('showSafeZones', e.currentTarget.checked)}
        />
      </Stack>
    </Card>
  );
}
