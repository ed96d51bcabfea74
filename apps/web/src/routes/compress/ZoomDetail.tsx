import { Box, Group, SegmentedControl, SimpleGrid, Stack, Text } from '@mantine/core';
import { type KeyboardEvent, type PointerEvent, useRef, useState } from 'react';

const ZOOMS = ['2', '4', '8'] as const;
const clamp = (v: number) => Math.min(1, Math.max(0, v));

function Panel({
  url,
  label,
  width,
  height,
  zoom,
  focus,
}: {
  url: string;
  label: string;
  width: number;
  height: number;
  zoom: number;
  focus: { x: number; y: number };
}) {
  // Sized in the image's own pixels times the zoom, so both panels show the same pixels side by side.
  return (
    <Stack gap={4}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Box
        role="img"
        aria-label={`${label}, ${zoom}× detail`}
        h={180}
        style={{
          backgroundImage: `url("${url}")`,
          backgroundRepeat: 'no-repeat',
          backgroundSize: `${width * zoom}px ${height * zoom}px`,
          backgroundPosition: `${focus.x * 100}% ${focus.y * 100}%`,
          imageRendering: 'pixelated',
          borderRadius: 'var(--mantine-radius-sm)',
          border: '1px solid var(--mantine-color-default-border)',
        }}
      />
    </Stack>
  );
}

/**
 * Before and after enlarged on the same spot, where compression artefacts show. The spot follows a
 * drag on the small overview (or the arrow keys); the zoom is 2×, 4× or 8× the image's pixels.
 */
export function ZoomDetail({
  before,
  after,
  width,
  height,
}: {
  before: string;
  after: string;
  width: number;
  height: number;
}) {
  const [zoom, setZoom] = useState<(typeof ZOOMS)[number]>('4');
  const [focus, setFocus] = useState({ x: 0.5, y: 0.5 });
  const frame = useRef<HTMLDivElement>(null);
  const dragging = useRef(false);
  const follow = (e: PointerEvent<HTMLDivElement>) => {
    const box = frame.current?.getBoundingClientRect();
    if (box && box.width > 0 && box.height > 0) {
      setFocus({
        x: clamp((e.clientX - box.left) / box.width),
        y: clamp((e.clientY - box.top) / box.height),
      });
    }
  };
  const key = (e: KeyboardEvent<HTMLDivElement>) => {
    const step = e.shiftKey ? 0.01 : 0.05;
    const moves: Record<string, [number, number]> = {
      ArrowLeft: [-step, 0],
      ArrowRight: [step, 0],
      ArrowUp: [0, -step],
      ArrowDown: [0, step],
    };
    const move = moves[e.key];
    if (move) {
      e.preventDefault();
      setFocus((f) => ({ x: clamp(f.x + move[0]), y: clamp(f.y + move[1]) }));
    }
  };
  return (
    <Stack gap="xs" data-testid="zoom-detail">
      <Group justify="space-between">
        <Text size="sm" fw={600}>
          Detail
        </Text>
        <SegmentedControl
          size="xs"
          aria-label="Detail zoom"
          value={zoom}
          onChange={(v) => setZoom(ZOOMS.find((z) => z === v) ?? '4')}
          data={ZOOMS.map((z) => ({ value: z, label: `${z}×` }))}
        />
      </Group>
      <Group align="flex-start" wrap="nowrap" gap="sm">
        <Box
          ref={frame}
          w={96}
          style={{ position: 'relative', flex: 'none', touchAction: 'none', cursor: 'crosshair' }}
          onPointerDown={(e) => {
            dragging.current = true;
            e.currentTarget.setPointerCapture(e.pointerId);
            follow(e);
          }}
          onPointerMove={(e) => dragging.current && follow(e)}
          onPointerUp={() => {
            dragging.current = false;
          }}
          role="slider"
          tabIndex={0}
          aria-label="Detail position"
          aria-valuetext={`${Math.round(focus.x * 100)}% across, ${Math.round(focus.y * 100)}% down`}
          aria-valuenow={Math.round(focus.x * 100)}
          onKeyDown={key}
        >
          <img src={after} alt="" draggable={false} style={{ width: '100%', display: 'block' }} />
          <Box
            style={{
              position: 'absolute',
              left: `${focus.x * 100}%`,
              top: `${focus.y * 100}%`,
              width: 12,
              height: 12,
              transform: 'translate(-50%, -50%)',
              border: '2px solid var(--mantine-primary-color-filled)',
              borderRadius: 2,
              pointerEvents: 'none',
            }}
          />
        </Box>
        <SimpleGrid cols={2} spacing="xs" style={{ flex: 1 }}>
          <Panel
            url={before}
            label="Before"
            width={width}
            height={height}
            zoom={Number(zoom)}
            focus={focus}
          />
          <Panel url={after} label="After" width={width} height={height} zoom={Number(zoom)} focus={focus} />
        </SimpleGrid>
      </Group>
    </Stack>
  );
}
