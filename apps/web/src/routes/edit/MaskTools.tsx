import { ActionIcon, Button, Group, SegmentedControl, Slider, Stack, Text, Tooltip } from '@mantine/core';
import { IconArrowBackUp, IconArrowForwardUp, IconBrush, IconEraser, IconTrash } from '@tabler/icons-react';
import type { Brush } from './EditStage.tsx';

/** Brush size and mode, undo/redo (also Ctrl/⌘+Z, Shift+Ctrl/⌘+Z) and clear, under the painted image. */
export function MaskTools({
  brush,
  onBrush,
  canUndo,
  canRedo,
  onUndo,
  onRedo,
  onClear,
  painted,
}: {
  brush: Brush;
  onBrush: (next: Brush) => void;
  canUndo: boolean;
  canRedo: boolean;
  onUndo: () => void;
  onRedo: () => void;
  onClear: () => void;
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
            leftSection={<IconTrash size={14} />}
            onClick={onClear}
            disabled={!painted}
          >
            Clear
          </Button>
        </Group>
      </Group>
      <Group gap="sm" wrap="nowrap">
        <Text size="sm" id="brush-size-label" style={{ whiteSpace: 'nowrap' }}>
          Brush {brush.size}px
        </Text>
        <Slider
          style={{ flex: 1 }}
          aria-labelledby="brush-size-label"
          min={4}
          max={120}
          step={2}
          value={brush.size}
          onChange={(size) => onBrush({ ...brush, size })}
        />
      </Group>
      <Text size="xs" c="dimmed">
        Paint over what to change; the red area is sent as the mask.
      </Text>
    </Stack>
  );
}
