import {
  Badge,
  Card,
  Chip,
  Group,
  NumberInput,
  SegmentedControl,
  Select,
  Slider,
  Stack,
  Switch,
  Text,
} from '@mantine/core';
import type {
  CompressionFormatT,
  CompressionPresetT,
  ConvertibleFormatT,
  RecommendationT,
} from '../../api/compress.ts';
import { COMPRESS_FORMATS, CONVERT_FORMATS, type CompressState, MIN_TARGET_KB } from './compressOptions.ts';

/** Presets, compress or convert, the format, a quality or a target size, and metadata. */
export function CompressSettings({
  value,
  onChange,
  formats,
  presets,
  convertible,
  recommendations,
}: {
  value: CompressState;
  onChange: (next: CompressState) => void;
  formats: CompressionFormatT[];
  presets: CompressionPresetT[];
  convertible: ConvertibleFormatT[];
  recommendations: RecommendationT[];
}) {
  const set = (patch: Partial<CompressState>) => onChange({ ...value, ...patch });
  const applyPreset = (id: string) => {
    const p = presets.find((x) => x.id === id);
    if (p) {
      set({
        mode: 'compress',
        format: p.format,
        quality: p.quality,
        sizing: p.target_size_kb ? 'target' : 'quality',
        targetKb: p.target_size_kb ?? value.targetKb,
        stripMetadata: p.strip_metadata,
      });
    }
  };
  const convert = value.mode === 'convert';
  const info = formats.find((f) => f.id === value.format);
  const target = convertible.find((f) => f.id === value.convertTo);
  const lossy = convert ? (target?.supports_lossy ?? true) : true;
  return (
    <Card withBorder>
      <Stack gap="sm">
        <Text fw={600}>2. Settings</Text>
        <SegmentedControl
          aria-label="Compress or convert"
          value={value.mode}
          onChange={(v) => set({ mode: v === 'convert' ? 'convert' : 'compress' })}
          data={[
            { value: 'compress', label: 'Compress' },
            { value: 'convert', label: 'Convert format' },
          ]}
        />
        {!convert && presets.length > 0 && (
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              Presets
            </Text>
            <Group gap={6}>
              {presets.map((p) => (
                <Chip
                  key={p.id}
                  size="xs"
                  checked={false}
                  onChange={() => applyPreset(p.id)}
                  title={p.description}
                >
                  {p.name}
                </Chip>
              ))}
            </Group>
          </Stack>
        )}
        {convert ? (
          <Select
            label="Convert to"
            allowDeselect={false}
            data={convertible
              .filter((f) => CONVERT_FORMATS.some((c) => c === f.id))
              .map((f) => ({ value: f.id, label: f.name }))}
            value={value.convertTo}
            onChange={(v) => {
              const next = CONVERT_FORMATS.find((f) => f === v);
              if (next) {
                set({ convertTo: next });
              }
            }}
            description={target?.description}
          />
        ) : (
          <Select
            label="Format"
            allowDeselect={false}
            data={formats
              .filter((f) => COMPRESS_FORMATS.some((c) => c === f.id))
              .map((f) => ({ value: f.id, label: f.name }))}
            value={value.format}
            onChange={(v) => {
              const next = COMPRESS_FORMATS.find((f) => f === v);
              const entry = formats.find((f) => f.id === v);
              if (next) {
                set({ format: next, quality: entry?.recommended_quality ?? value.quality });
              }
            }}
            description={info?.description}
          />
        )}
        {convert && recommendations.length > 0 && (
          <Text size="xs" c="dimmed" data-testid="compress-recommendation">
            Recommended for this file:{' '}
            {recommendations.map((r) => `${r.format.toUpperCase()} (${r.reason})`).join('; ')}
          </Text>
        )}
        {!convert && (
          <SegmentedControl
            aria-label="Aim for"
            value={value.sizing}
            onChange={(v) => set({ sizing: v === 'target' ? 'target' : 'quality' })}
            data={[
              { value: 'quality', label: 'Quality' },
              { value: 'target', label: 'Target size' },
            ]}
          />
        )}
        {!convert && value.sizing === 'target' ? (
          <NumberInput
            label="Target size (KB)"
            description="The server lowers the quality until the file fits, as far as it can."
            min={MIN_TARGET_KB}
            allowDecimal={false}
            value={value.targetKb}
            onChange={(v) => set({ targetKb: typeof v === 'number' ? v : MIN_TARGET_KB })}
          />
        ) : (
          lossy && (
            <Stack gap={2}>
              <Group justify="space-between">
                <Text size="sm" fw={500}>
                  Quality
                </Text>
                <Badge variant="light" data-testid="compress-quality">
                  {value.quality}
                </Badge>
              </Group>
              <Slider
                thumbLabel="Quality"
                min={info?.quality_range[0] ?? 1}
                max={info?.quality_range[1] ?? 100}
                value={value.quality}
                onChange={(q) => set({ quality: q })}
              />
            </Stack>
          )
        )}
        <Switch
          label="Strip metadata (EXIF, GPS, camera)"
          checked={value.stripMetadata}
          onChange={(e) => set({ stripMetadata: e.currentTarget.checked })}
        />
        {convert && (
          <Switch
            label="Keep transparency"
            checked={value.preserveTransparency}
            onChange={(e) => set({ preserveTransparency: e.currentTarget.checked })}
          />
        )}
      </Stack>
    </Card>
  );
}
