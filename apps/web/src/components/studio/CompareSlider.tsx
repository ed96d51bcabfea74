import { Badge, Box } from '@mantine/core';
import { type KeyboardEvent, type PointerEvent, useRef, useState } from 'react';
import classes from './CompareSlider.module.css';

const clamp = (v: number) => Math.min(100, Math.max(0, v));

/**
 * Before and after at the same displayed size: the after image covers the before one right of a
 * divider that follows the pointer or the arrow keys. Both fill the frame the way the server's
 * centred crop does, so an exact size of another aspect ratio lines up too.
 */
export function CompareSlider({
  before,
  after,
  width,
  height,
  afterLabel,
}: {
  before: string;
  after: string;
  width: number;
  height: number;
  /** What the after image is, for its alt text ("upscaled", "edited"). */
  afterLabel: string;
}) {
  const [position, setPosition] = useState(50);
  const frame = useRef<HTMLDivElement>(null);
  const dragging = useRef(false);

  const follow = (clientX: number) => {
    const box = frame.current?.getBoundingClientRect();
    if (box && box.width > 0) {
      setPosition(clamp(((clientX - box.left) / box.width) * 100));
    }
  };
  const down = (e: PointerEvent<HTMLDivElement>) => {
    dragging.current = true;
    e.currentTarget.setPointerCapture(e.pointerId);
    follow(e.clientX);
  };
  const move = (e: PointerEvent<HTMLDivElement>) => {
    if (dragging.current) {
      follow(e.clientX);
    }
  };
  const up = () => {
    dragging.current = false;
  };
  const key = (e: KeyboardEvent<HTMLDivElement>) => {
    const step = e.shiftKey ? 1 : 5;
    const next =
      e.key === 'ArrowLeft' || e.key === 'ArrowDown'
        ? position - step
        : e.key === 'ArrowRight' || e.key === 'ArrowUp'
          ? position + step
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? 100
              : null;
    if (next !== null) {
      e.preventDefault();
      setPosition(clamp(next));
    }
  };

  return (
    <Box
      ref={frame}
      className={classes.frame}
      style={{ aspectRatio: `${width} / ${height}`, maxWidth: `calc(70vh * ${width / height})` }}
      onPointerDown={down}
      onPointerMove={move}
      onPointerUp={up}
      onPointerCancel={up}
      data-testid="compare"
    >
      <img className={classes.image} src={before} alt="Before: the original" draggable={false} />
      <img
        className={classes.image}
        src={after}
        alt={`After: ${afterLabel}, ${width}×${height}`}
        draggable={false}
        style={{ clipPath: `inset(0 0 0 ${position}%)` }}
      />
      <Badge className={classes.before} variant="filled" color="dark" size="sm">
        Before
      </Badge>
      <Badge className={classes.after} variant="filled" color="dark" size="sm">
        After
      </Badge>
      <div
        className={classes.handle}
        style={{ left: `${position}%` }}
        role="slider"
        tabIndex={0}
        aria-label="Before and after divider"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(position)}
        aria-valuetext={`${Math.round(position)}% before, ${100 - Math.round(position)}% after`}
        aria-orientation="horizontal"
        onKeyDown={key}
      >
        <span className={classes.grip} aria-hidden />
      </div>
    </Box>
  );
}
