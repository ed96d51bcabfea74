import {
  Alert,
  Anchor,
  ColorInput,
  Group,
  NumberInput,
  SegmentedControl,
  SimpleGrid,
  Slider,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { Link } from 'react-router';
import type { EditOperation } from '../../api/edit.ts';
import { CloudFields } from './CloudFields.tsx';
import { type FieldState, needsMask } from './editFields.ts';
import { type Extents, GUIDES } from './editOptions.ts';
import { ImageField } from './ImageField.tsx';
import { Labelled } from './Labelled.tsx';
import { RelightFields } from './RelightFields.tsx';

const SWATCHES = ['#e03131', '#f08c00', '#ffd43b', '#2f9e44', '#1971c2', '#7048e8', '#ffffff', '#212529'];
const SIDES: { key: keyof Extents; label: string }[] = [
  { key: 'left', label: 'Left' },
  { key: 'right', label: 'Right' },
  { key: 'up', label: 'Top' },
  { key: 'down', label: 'Bottom' },
];

/** The inputs the chosen operation takes, each with the server's default where the user leaves it. */
export function OperationFields({
  op,
  value,
  onChange,
  cloudNeed,
  route,
}: {
  op: EditOperation;
  value: FieldState;
  onChange: (next: FieldState) => void;
  /** Set when a prompt is typed that needs a cloud provider the user has no key for. */
  cloudNeed: string | null;
  route: 'local' | 'cloud';
}) {
  const guide = GUIDES[op];
  const set = <K extends keyof FieldState>(key: K, v: FieldState[K]) => onChange({ ...value, [key]: v });
  const hasFields =
    guide.prompt ||
    guide.searchPrompt ||
    guide.recolor ||
    guide.outpaint ||
    guide.backdrop ||
    guide.relight ||
    guide.maskOptions;
  if (!hasFields) {
    return null;
  }
  return (
    <Stack gap="sm" data-testid="edit-fields">
      {guide.searchPrompt && (
        <TextInput
          label="Find"
          description="What to replace, in a few words."
          placeholder="the bicycle"
          required
          value={value.searchPrompt}
          onChange={(e) => set('searchPrompt', e.currentTarget.value)}
        />
      )}
      {guide.prompt && (
        <Textarea
          label={guide.prompt.label}
          placeholder={guide.prompt.placeholder}
          required={guide.prompt.required}
          autosize
          minRows={2}
          maxLength={2000}
          value={value.prompt}
          onChange={(e) => set('prompt', e.currentTarget.value)}
        />
      )}
      {cloudNeed && (
        <Alert color="orange" p="xs">
          {cloudNeed} for a prompt.
          {guide.prompt?.cloudOnly
            ? ' Without one, this server fills from the surroundings and does not use the prompt. '
            : ' '}
          <Anchor component={Link} to="/settings" size="sm">
            Settings → Provider keys
          </Anchor>
        </Alert>
      )}
      {guide.recolor && (
        <SegmentedControl
          aria-label="What to recolour"
          value={value.recolorBy}
          onChange={(v) => set('recolorBy', v === 'name' ? 'name' : 'paint')}
          data={[
            { value: 'paint', label: 'The painted area' },
            { value: 'name', label: 'An object by name' },
          ]}
        />
      )}
      {guide.recolor && value.recolorBy === 'paint' && (
        <ColorInput
          label="New colour"
          description="The painted area takes this colour and keeps its light and shade."
          value={value.color}
          onChange={(c) => set('color', c)}
          swatches={SWATCHES}
          format="hex"
          eyeDropperButtonProps={{ 'aria-label': 'Pick the colour from the screen' }}
        />
      )}
      {guide.recolor && value.recolorBy === 'name' && (
        <>
          <TextInput
            label="Object to recolour"
            description="Found in the image by a cloud model, in a few words."
            placeholder="the car"
            required
            value={value.selectPrompt}
            onChange={(e) => set('selectPrompt', e.currentTarget.value)}
          />
          <TextInput
            label="New colour"
            description="In words; shading and texture are kept."
            placeholder="a deep glossy navy blue"
            required
            value={value.prompt}
            onChange={(e) => set('prompt', e.currentTarget.value)}
          />
        </>
      )}
      {guide.outpaint && (
        <Stack gap={4}>
          <Text size="sm" fw={500}>
            Extend by (pixels)
          </Text>
          <SimpleGrid cols={{ base: 2, xs: 4 }} spacing="xs">
            {SIDES.map((s) => (
              <NumberInput
                key={s.key}
                label={s.label}
                min={0}
                max={2000}
                step={32}
                clampBehavior="strict"
                allowDecimal={false}
                allowNegative={false}
                value={value.extents[s.key]}
                onChange={(v) => set('extents', { ...value.extents, [s.key]: typeof v === 'number' ? v : 0 })}
              />
            ))}
          </SimpleGrid>
        </Stack>
      )}
      {guide.backdrop && (
        <Stack gap="xs">
          <SegmentedControl
            aria-label="New background"
            value={value.backdrop}
            onChange={(v) => set('backdrop', v === 'blur' || v === 'image' ? v : 'color')}
            data={[
              { value: 'color', label: 'Plain colour' },
              { value: 'image', label: 'Image' },
              { value: 'blur', label: 'Blurred photo' },
            ]}
          />
          {value.backdrop === 'image' ? (
            <ImageField
              label="Background image"
              description="The subject is placed on it, the image filling the frame."
              value={value.backgroundImage}
              onChange={(file) => set('backgroundImage', file)}
            />
          ) : value.backdrop === 'color' ? (
            <ColorInput
              label="Background colour"
              value={value.backgroundColor}
              onChange={(c) => set('backgroundColor', c)}
              swatches={SWATCHES}
              format="hex"
              eyeDropperButtonProps={{ 'aria-label': 'Pick the colour from the screen' }}
            />
          ) : (
            <Labelled label={`Blur: ${value.blur}px`} id="blur-label">
              <Slider
                aria-labelledby="blur-label"
                thumbLabel="Blur radius"
                min={1}
                max={200}
                value={value.blur}
                onChange={(v) => set('blur', v)}
              />
            </Labelled>
          )}
        </Stack>
      )}
      {guide.relight && <RelightFields value={value} onChange={onChange} />}
      {route === 'cloud' && <CloudFields op={op} value={value} onChange={onChange} />}
      {guide.maskOptions && needsMask(op, value) && (
        <Group grow gap="md" align="flex-start">
          <Labelled label={`Grow mask: ${value.grow}px`} id="grow-label">
            <Slider
              aria-labelledby="grow-label"
              thumbLabel="Grow mask"
              min={0}
              max={50}
              value={value.grow}
              onChange={(v) => set('grow', v)}
            />
          </Labelled>
          <Labelled label={`Feather: ${value.feather}px`} id="feather-label">
            <Slider
              aria-labelledby="feather-label"
              thumbLabel="Feather"
              min={0}
              max={40}
              value={value.feather}
              onChange={(v) => set('feather', v)}
            />
          </Labelled>
        </Group>
      )}
    </Stack>
  );
}
