import { ActionIcon, Button, Group, SegmentedControl, Slider, Stack, Text, Tooltip } from '@mantine/core';
import {
  IconArrowBackUp,
  IconArrowForwardUp,
  IconBrush,
  IconEraser,
  IconSwitchHorizontal,
  IconTrash,
} from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { BRUSH_SIZES, type Brush } from './MaskEditor.tsx';

function Setting({ id, label, children }: { id: string; label: string; children: ReactNode }) {
  return (
    <Group gap="sm" wrap="nowrap">
      <Text size="sm" id={id} w={120} style={{ whiteSpace: 'nowrap' }}>
        {label}
      </Text>
      {children}
    </Group>
  );
}

/**
 * Brush size, softness and mode, mask opacity, undo/redo (also Ctrl/⌘+Z, Shift+Ctrl/⌘+Z), invert and
 * clear, under the painted image.
 */
export function MaskTools({
  brush,
  onBrush,
  canUndo,
  canRedo,
  onUndo,
  onRedo,
  onClear,
  onInvert,
  painted,
}: {
  brush: Brush;
  onBrush: (next: Brush) => void;
  canUndo: boolean;
  canRedo: boolean;
  onUndo: () => void;
  onRedo: () => void;
  onClear: () => void;
  onInvert: () => void;
  painted: boolean;
}) {
  return (
    <Stack gap="xs" data-testid="edit-mask-tools">
      <Group gap="sm" wrap="wrap" justify="space-between">
        <SegmentedControl
          size="xs"
          value={brush.erase ? 'erase' : 'paint'}
          onChange={(v) => onBrush({ ...brush, erase: v === 'erase' })}
          aria-label="Brush mode"
          data={[
            {
              value: 'paint',
              label: (
                <Group gap={4} wrap="nowrap">
                  <IconBrush size={14} aria-hidden /> Paint
                </Group>
              ),
            },
            {
              value: 'erase',
              label: (
                <Group gap={4} wrap="nowrap">
                  <IconEraser size={14} aria-hidden /> Eraser
                </Group>
              ),
            },
          ]}
        />
        <Group gap={4}>
          <Tooltip label="Undo (Ctrl/⌘+Z)">
            <ActionIcon variant="default" size="lg" aria-label="Undo" onClick={onUndo} disabled={!canUndo}>
              <IconArrowBackUp size={18} />
            </ActionIcon>
          </Tooltip>
          <Tooltip label="Redo (Shift+Ctrl/⌘+Z)">
            <ActionIcon variant="default" size="lg" aria-label="Redo" onClick={onRedo} disabled={!canRedo}>
              <IconArrowForwardUp size={18} />
            </ActionIcon>
          </Tooltip>
          <Button
            variant="default"
            size="compact-md"
            leftSection={<IconSwitchHorizontal size={14} />}
            onClick={onInvert}
          >
            Invert
          </Button>
          <Button
            variant="default"
            size="compact-md"
            leftSection={<IconTrash size={14} />}
            onClick={onClear}
            disabled={!painted}
          >
            Clear
          </Button>
        </Group>
      </Group>
      <Setting id="brush-size-label" label={`Brush ${brush.size}px`}>
        <Slider
          style={{ flex: 1 }}
          aria-labelledby="brush-size-label"
          thumbLabel="Brush size"
          min={BRUSH_SIZES.min}
          max={BRUSH_SIZES.max}
          step={2}
          value={brush.size}
          onChange={(size) => onBrush({ ...brush, size })}
        />
      </Setting>
      <Setting id="brush-hardness-label" label={`Hardness ${Math.round(brush.hardness * 100)}%`}>
        <Slider
          style={{ flex: 1 }}
          aria-labelledby="brush-hardness-label"
          thumbLabel="Brush hardness"
          min={0}
          max={1}
          step={0.05}
          label={null}
          value={brush.hardness}
          onChange={(hardness) => onBrush({ ...brush, hardness })}
        />
      </Setting>
      <Setting id="mask-opacity-label" label={`Mask opacity ${Math.round(brush.opacity * 100)}%`}>
        <Slider
          style={{ flex: 1 }}
          aria-labelledby="mask-opacity-label"
          thumbLabel="Mask opacity"
          min={0.1}
          max={1}
          step={0.05}
          label={null}
          value={brush.opacity}
          onChange={(opacity) => onBrush({ ...brush, opacity })}
        />
      </Setting>
      <Text size="xs" c="dimmed">
        Paint over what to change; the red area is sent as the mask. Keys: [ ] brush size, + − zoom, 0 fit,
        Space + drag to pan.
      </Text>
    </Stack>
  );
}
