import { Box, Text } from '@mantine/core';
import { type KeyboardEvent, type MouseEvent, useRef } from 'react';

export interface FocalPoint {
  x: number;
  y: number;
}

const clamp = (v: number) => Math.min(1, Math.max(0, v));
const STEP = 0.05;

const KEY_MOVES: Record<string, [number, number]> = {
  ArrowLeft: [-STEP, 0],
  ArrowRight: [STEP, 0],
  ArrowUp: [0, -STEP],
  ArrowDown: [0, STEP],
};

/**
 * The chosen source image; a click (or the arrow keys) sets the focal point the crops keep in frame.
 * The point is a fraction of the image, which is what the server takes.
 */
export function FocalPointImage({
  src,
  alt,
  focal,
  onFocal,
  onLoad,
  onError,
}: {
  src: string;
  alt: string;
  focal: FocalPoint | null;
  onFocal: (point: FocalPoint) => void;
  onLoad: (size: { width: number; height: number }) => void;
  onError: () => void;
}) {
  const image = useRef<HTMLImageElement>(null);
  const click = (e: MouseEvent<HTMLDivElement>) => {
    const box = image.current?.getBoundingClientRect();
    if (!box || box.width === 0 || box.height === 0) {
      return;
    }
    onFocal({ x: clamp((e.clientX - box.left) / box.width), y: clamp((e.clientY - box.top) / box.height) });
  };
  const key = (e: KeyboardEvent<HTMLDivElement>) => {
    const move = KEY_MOVES[e.key];
    if (move) {
      e.preventDefault();
      const from = focal ?? { x: 0.5, y: 0.5 };
      onFocal({ x: clamp(from.x + move[0]), y: clamp(from.y + move[1]) });
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onFocal(focal ?? { x: 0.5, y: 0.5 });
    }
  };
  return (
    <Box
      pos="relative"
      display="inline-block"
      maw="100%"
      tabIndex={0}
      role="group"
      aria-label="Source image. Click or use the arrow keys to set the focal point."
      onKeyDown={key}
      onClick={click}
      style={{ lineHeight: 0, cursor: 'crosshair', borderRadius: 'var(--mantine-radius-sm)' }}
    >
      <img
        src={src}
        ref={image}
        alt={alt}
        onLoad={(e) => onLoad({ width: e.currentTarget.naturalWidth, height: e.currentTarget.naturalHeight })}
        onError={onError}
        draggable={false}
        style={{
          maxWidth: '100%',
          maxHeight: 320,
          display: 'block',
          borderRadius: 'var(--mantine-radius-sm)',
        }}
      />
      {focal && (
        <Box
          data-testid="focal-marker"
          aria-hidden
          pos="absolute"
          left={`${focal.x * 100}%`}
          top={`${focal.y * 100}%`}
          w={22}
          h={22}
          style={{
            transform: 'translate(-50%, -50%)',
            borderRadius: '50%',
            border: '3px solid #fff',
            boxShadow: '0 0 0 2px rgba(0,0,0,0.6), inset 0 0 0 2px rgba(0,0,0,0.6)',
            pointerEvents: 'none',
          }}
        />
      )}
      {focal && (
        <Text
          size="xs"
          pos="absolute"
          bottom={6}
          left={6}
          px={6}
          py={2}
          lh={1.4}
          c="white"
          bg="rgba(0,0,0,0.6)"
          style={{ borderRadius: 4, pointerEvents: 'none' }}
        >
          Focal point {Math.round(focal.x * 100)}%, {Math.round(focal.y * 100)}%
        </Text>
      )}
    </Box>
  );
}
