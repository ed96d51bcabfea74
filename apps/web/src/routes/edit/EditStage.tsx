import { Text } from '@mantine/core';
import { type PointerEvent, useEffect, useRef, useState } from 'react';
import classes from './EditStage.module.css';
import type { Extents } from './editOptions.ts';
import { drawStrokes, type Stroke } from './maskHistory.ts';

/** Red reads as "this part changes" on most photos; the canvas is shown translucent over the image. */
const MASK_COLOR = '#ff1f4b';
/** The stage fits the window's height so the whole image stays in view while painting. */
const FIT = '65vh';

export interface Brush {
  /** Diameter in screen pixels, so the ring under the pointer matches the slider at any zoom. */
  size: number;
  erase: boolean;
}

/**
 * The source at fit-to-screen size. With `painting`, a brush paints the mask over it (pointer, pen and
 * touch); with `extents`, the image sits inside the larger outpaint canvas it will become.
 */
export function EditStage({
  url,
  name,
  width,
  height,
  strokes,
  painting,
  brush,
  onStroke,
  extents,
  onLoad,
}: {
  url: string;
  name: string;
  width: number | null;
  height: number | null;
  strokes: readonly Stroke[];
  painting: boolean;
  brush: Brush;
  onStroke: (stroke: Stroke) => void;
  extents: Extents | null;
  onLoad: (size: { width: number; height: number }) => void;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const live = useRef<Stroke | null>(null);
  const [ring, setRing] = useState<{ x: number; y: number } | null>(null);

  const redraw = () => {
    const c = canvas.current;
    const ctx = c?.getContext('2d');
    if (!c || !ctx) {
      return;
    }
    ctx.clearRect(0, 0, c.width, c.height);
    drawStrokes(ctx, live.current ? [...strokes, live.current] : strokes, MASK_COLOR, null);
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: the canvas follows the strokes and its size
  useEffect(redraw, [strokes, width, height, painting]);

  const toImage = (e: PointerEvent<HTMLCanvasElement>) => {
    const box = e.currentTarget.getBoundingClientRect();
    const scale = (width ?? box.width) / box.width;
    return {
      point: { x: (e.clientX - box.left) * scale, y: (e.clientY - box.top) * scale },
      radius: (brush.size / 2) * scale,
    };
  };
  const down = (e: PointerEvent<HTMLCanvasElement>) => {
    if (e.button !== 0) {
      return;
    }
    e.currentTarget.setPointerCapture(e.pointerId);
    const { point, radius } = toImage(e);
    live.current = { points: [point], radius, erase: brush.erase };
    redraw();
  };
  const move = (e: PointerEvent<HTMLCanvasElement>) => {
    const box = e.currentTarget.getBoundingClientRect();
    setRing({ x: e.clientX - box.left, y: e.clientY - box.top });
    if (live.current) {
      live.current.points.push(toImage(e).point);
      redraw();
    }
  };
  const up = () => {
    const stroke = live.current;
    live.current = null;
    if (stroke) {
      onStroke(stroke);
    }
  };

  const ratio = width && height ? width / height : 4 / 3;
  const image = (
    <img
      className={classes.image}
      src={url}
      alt={`Source: ${name}`}
      draggable={false}
      onLoad={(e) => onLoad({ width: e.currentTarget.naturalWidth, height: e.currentTarget.naturalHeight })}
    />
  );
  const stage = (
    <div className={classes.stage} data-testid="edit-stage" style={{ aspectRatio: `${ratio}` }}>
      {image}
      {painting && width && height && (
        <canvas
          ref={canvas}
          className={classes.mask}
          width={width}
          height={height}
          data-testid="edit-mask"
          aria-label="Mask: paint over the area to edit"
          onPointerDown={down}
          onPointerMove={move}
          onPointerUp={up}
          onPointerCancel={up}
          onPointerLeave={() => setRing(null)}
        />
      )}
      {painting && ring && (
        <div
          className={classes.brush}
          style={{ left: ring.x, top: ring.y, width: brush.size, height: brush.size }}
          aria-hidden
        />
      )}
    </div>
  );

  if (extents && width && height) {
    const outW = width + extents.left + extents.right;
    const outH = height + extents.up + extents.down;
    return (
      <div style={{ width: '100%' }}>
        <div
          className={classes.frame}
          data-testid="edit-outpaint-preview"
          style={{ aspectRatio: `${outW} / ${outH}`, maxWidth: `calc(${FIT} * ${outW / outH})` }}
        >
          <div
            className={classes.placed}
            style={{
              left: `${(extents.left / outW) * 100}%`,
              top: `${(extents.up / outH) * 100}%`,
              width: `${(width / outW) * 100}%`,
              height: `${(height / outH) * 100}%`,
            }}
          >
            {image}
          </div>
        </div>
        <Text size="sm" c="dimmed" ta="center" mt={4} data-testid="edit-outpaint-size">
          New canvas {outW}×{outH} (from {width}×{height})
        </Text>
      </div>
    );
  }
  return (
    <div style={{ width: '100%', maxWidth: `calc(${FIT} * ${ratio})`, marginInline: 'auto' }}>{stage}</div>
  );
}
