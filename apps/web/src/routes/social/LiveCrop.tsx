import { Badge, Button, Card, Group, Slider, Stack, Text } from '@mantine/core';
import { type KeyboardEvent, type PointerEvent, useRef, useState } from 'react';
import type { SocialPreviewFormatT } from '../../api/social.ts';
import { type CropRect, cropFraction, imagePlacement, moveCrop, resizeCrop, type Size } from './cropMath.ts';
import { SafeZoneOverlay } from './Overlays.tsx';

/** Width of a preview frame in CSS pixels; the height follows the format's ratio. */
const FRAME_WIDTH = 220;
/** Arrow keys move the crop by this share of its size. */
const KEY_STEP = 0.05;

/**
 * One format's live preview: the source shown through the crop the export will use, with the safe
 * zone and the platform's other areas (grid crop, device bands) drawn over it. Dragging the picture
 * (or the arrow keys) moves the crop; the slider resizes it with the ratio locked.
 */
export function LiveCrop({
  src,
  source,
  format,
  platformName,
  crop,
  adjusted,
  showSafeZones,
  onCrop,
  onReset,
}: {
  src: string;
  source: Size;
  format: SocialPreviewFormatT;
  platformName: string;
  crop: CropRect;
  adjusted: boolean;
  showSafeZones: boolean;
  onCrop: (crop: CropRect) => void;
  onReset: () => void;
}) {
  const aspect = format.width / format.height;
  const frameHeight = Math.round(FRAME_WIDTH / aspect);
  const fitted = format.crop_strategy === 'fit';
  const place = imagePlacement(crop, source, FRAME_WIDTH);
  const k = FRAME_WIDTH / crop.width;
  const drag = useRef<{ x: number; y: number; crop: CropRect } | null>(null);
  const [dragging, setDragging] = useState(false);
  const label = `${platformName} ${format.format}`;

  const down = (e: PointerEvent<HTMLDivElement>) => {
    if (fitted) return;
    e.currentTarget.setPointerCapture(e.pointerId);
    drag.current = { x: e.clientX, y: e.clientY, crop };
    setDragging(true);
  };
  const move = (e: PointerEvent<HTMLDivElement>) => {
    const from = drag.current;
    if (!from) return;
    // The picture follows the pointer, so the crop moves the other way.
    onCrop(moveCrop(from.crop, -(e.clientX - from.x) / k, -(e.clientY - from.y) / k, source));
  };
  const up = () => {
    drag.current = null;
    setDragging(false);
  };
  const key = (e: KeyboardEvent<HTMLDivElement>) => {
    const moves: Record<string, [number, number]> = {
      ArrowLeft: [-1, 0],
      ArrowRight: [1, 0],
      ArrowUp: [0, -1],
      ArrowDown: [0, 1],
    };
    const m = moves[e.key];
    if (!m || fitted) return;
    e.preventDefault();
    onCrop(moveCrop(crop, m[0] * crop.width * KEY_STEP, m[1] * crop.height * KEY_STEP, source));
  };
  const scale = FRAME_WIDTH / format.width;

  return (
    <Card withBorder padding="xs" data-testid="live-crop" data-format-id={format.format_id}>
      <Stack gap={6}>
        <Group justify="space-between" gap={4} wrap="nowrap">
          <Text size="sm" fw={600} truncate>
            {label}
          </Text>
          <Badge size="xs" variant="light" color={adjusted ? 'orange' : 'gray'}>
            {adjusted ? 'adjusted' : format.crop_strategy.replace('_', ' ')}
          </Badge>
        </Group>
        <div
          role="slider"
          tabIndex={fitted ? -1 : 0}
          aria-label={`Crop of ${label}: drag or use the arrow keys to move it`}
          aria-valuetext={`${crop.width}×${crop.height} at ${crop.left}, ${crop.top}`}
          aria-valuenow={crop.left}
          data-crop={`${crop.left},${crop.top},${crop.width},${crop.height}`}
          onPointerDown={down}
          onPointerMove={move}
          onPointerUp={up}
          onPointerCancel={up}
          onKeyDown={key}
          style={{
            position: 'relative',
            width: FRAME_WIDTH,
            height: frameHeight,
            overflow: 'hidden',
            background: '#222',
            cursor: fitted ? 'default' : dragging ? 'grabbing' : 'grab',
            touchAction: 'none',
            userSelect: 'none',
          }}
        >
          <img
            src={src}
            alt=""
            draggable={false}
            style={
              fitted && format.placement
                ? {
                    position: 'absolute',
                    left: format.placement.left * scale,
                    top: format.placement.top * scale,
                    width: format.placement.width * scale,
                    height: format.placement.height * scale,
                  }
                : { position: 'absolute', maxWidth: 'none', ...place }
            }
          />
          {showSafeZones && (
            <SafeZoneOverlay width={format.width} height={format.height} rect={format.safe_zone_rect} />
          )}
          {showSafeZones &&
            format.safe_areas.map((a) => (
              <div
                key={a.id}
                title={a.label}
                data-testid="safe-area"
                style={{
                  position: 'absolute',
                  left: `${a.left * 100}%`,
                  right: `${a.right * 100}%`,
                  top: `${a.top * 100}%`,
                  bottom: `${a.bottom * 100}%`,
                  border: '1px dashed #ffd43b',
                  pointerEvents: 'none',
                }}
              />
            ))}
        </div>
        {!fitted && (
          <Slider
            size="xs"
            min={0.2}
            max={1}
            step={0.01}
            value={cropFraction(crop, aspect, source)}
            onChange={(f) => onCrop(resizeCrop(crop, f, aspect, source))}
            label={null}
            thumbLabel={`Crop size of ${label}`}
          />
        )}
        <Group justify="space-between" gap={4}>
          <Text size="xs" c="dimmed">
            {format.width}×{format.height} · from {crop.width}×{crop.height}
          </Text>
          {adjusted && (
            <Button size="compact-xs" variant="subtle" onClick={onReset}>
              Reset
            </Button>
          )}
        </Group>
      </Stack>
    </Card>
  );
}
