import { ActionIcon, Group, Text, Tooltip } from '@mantine/core';
import { IconMaximize, IconZoomIn, IconZoomOut } from '@tabler/icons-react';
import { type PointerEvent, useEffect, useRef, useState } from 'react';
import classes from './EditStage.module.css';
import { useKeys } from './editHooks.ts';
import type { MaskOp, Point, Stroke } from './maskHistory.ts';
import { applyOp, applySegment, emptyRaster, type MaskRaster, type Rect, toRgba } from './maskRaster.ts';
import {
  clampView,
  fitView,
  panBy,
  pinch,
  type Size,
  type View,
  wheelFactor,
  zoomAt,
} from './viewTransform.ts';

/** Red reads as "this part changes" on most photos. */
const MASK_RGB = [255, 31, 75] as const;
export const BRUSH_SIZES = { min: 2, max: 200 } as const;

export interface Brush {
  /** Diameter in screen pixels, so the ring under the pointer matches it at any zoom. */
  size: number;
  /** 1 = hard edge; lower fades the outer part of the brush. */
  hardness: number;
  erase: boolean;
  /** How strongly the mask shows over the image (the screen only; the mask sent is the same). */
  opacity: number;
}

type Gesture =
  | { kind: 'paint'; stroke: Stroke }
  | { kind: 'pan'; last: Point }
  | { kind: 'pinch'; last: [Point, Point] };

const sameStart = (prefix: readonly MaskOp[], ops: readonly MaskOp[]) =>
  prefix.length <= ops.length && prefix.every((op, i) => ops[i] === op);

const nextSize = (size: number, grow: boolean) => {
  const step = Math.max(2, Math.round(size * 0.15));
  return Math.min(BRUSH_SIZES.max, Math.max(BRUSH_SIZES.min, grow ? size + step : size - step));
};

/**
 * Paints the mask over the image at its own pixel size: zoom (wheel, pinch, +/-, 0 fits) and pan
 * (space or middle-button drag, two fingers), a ring the size of the brush, soft edges. The screen
 * shows the same pixels that are sent (maskRaster.ts), redrawn only where they change.
 */
export function MaskEditor({
  url,
  name,
  width,
  height,
  ops,
  brush,
  onBrush,
  onStroke,
}: {
  url: string;
  name: string;
  width: number;
  height: number;
  ops: readonly MaskOp[];
  brush: Brush;
  onBrush: (next: Brush) => void;
  onStroke: (stroke: Stroke) => void;
}) {
  const image: Size = { width, height };
  const viewport = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [stage, setStage] = useState<Size | null>(null);
  const [view, setViewState] = useState<View | null>(null);
  const viewRef = useRef<View | null>(null);
  const [ring, setRing] = useState<Point | null>(null);
  const [spaceHeld, setSpaceHeld] = useState(false);
  const hovering = useRef(false);
  const pointers = useRef(new Map<number, Point>());
  const gesture = useRef<Gesture | null>(null);
  const drawn = useRef<{ ops: readonly MaskOp[]; raster: MaskRaster; pixels: ImageData } | null>(null);

  const setView = (next: View) => {
    viewRef.current = next;
    setViewState(next);
  };

  // The stage keeps the image's aspect ratio; a new size (window, phone rotation) shows the whole image.
  // biome-ignore lint/correctness/useExhaustiveDependencies: refits only when the image or the stage changes
  useEffect(() => {
    const el = viewport.current;
    if (!el) {
      return;
    }
    const observer = new ResizeObserver(() => {
      const size = { width: el.clientWidth, height: el.clientHeight };
      if (size.width > 0 && size.height > 0) {
        setStage(size);
        setView(fitView(image, size));
      }
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [width, height]);

  const paint = (area: Rect | null) => {
    const d = drawn.current;
    const ctx = canvas.current?.getContext('2d');
    if (!d || !ctx || !area) {
      return;
    }
    toRgba(d.raster, d.pixels.data, MASK_RGB, area);
    ctx.putImageData(d.pixels, 0, 0, area.x, area.y, area.width, area.height);
  };

  const rebuild = (from: readonly MaskOp[]) => {
    const ctx = canvas.current?.getContext('2d');
    if (!ctx) {
      return;
    }
    const raster = emptyRaster(width, height);
    for (const op of from) {
      applyOp(raster, op);
    }
    drawn.current = { ops: from, raster, pixels: ctx.createImageData(width, height) };
    paint({ x: 0, y: 0, width, height });
  };

  // New steps are laid onto what is drawn; anything else (undo, clear, a new image) redraws it all.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the canvas follows the steps and the image size
  useEffect(() => {
    const d = drawn.current;
    if (!d || d.raster.width !== width || d.raster.height !== height || !sameStart(d.ops, ops)) {
      rebuild(ops);
      return;
    }
    for (const op of ops.slice(d.ops.length)) {
      paint(applyOp(d.raster, op));
    }
    d.ops = ops;
  }, [ops, width, height]);

  const local = (e: { clientX: number; clientY: number }): Point => {
    const box = viewport.current?.getBoundingClientRect();
    return box ? { x: e.clientX - box.left, y: e.clientY - box.top } : { x: 0, y: 0 };
  };

  const zoomBy = (factor: number, anchor?: Point) => {
    const v = viewRef.current;
    if (v && stage) {
      setView(zoomAt(v, factor, anchor ?? { x: stage.width / 2, y: stage.height / 2 }, image, stage));
    }
  };
  const fit = () => stage && setView(fitView(image, stage));

  // Wheel zoom needs a listener that may cancel the page's scroll (React's is passive).
  // biome-ignore lint/correctness/useExhaustiveDependencies: zoomBy reads the view from its ref
  useEffect(() => {
    const el = viewport.current;
    if (!el) {
      return;
    }
    const wheel = (e: WheelEvent) => {
      e.preventDefault();
      zoomBy(wheelFactor(e.deltaY, e.deltaMode), local(e));
    };
    el.addEventListener('wheel', wheel, { passive: false });
    return () => el.removeEventListener('wheel', wheel);
  }, [stage, width, height]);

  useKeys(true, (e, up) => {
    if (e.ctrlKey || e.metaKey || e.altKey) {
      return false;
    }
    if (e.key === ' ') {
      // Space pans only over the stage (or with it focused), so it still presses buttons elsewhere.
      if (!hovering.current && document.activeElement !== viewport.current) {
        return false;
      }
      setSpaceHeld(!up);
      return true;
    }
    if (up) {
      return false;
    }
    switch (e.key) {
      case '[':
      case ']':
        onBrush({ ...brush, size: nextSize(brush.size, e.key === ']') });
        return true;
      case '0':
        fit();
        return true;
      case '+':
      case '=':
        zoomBy(1.25);
        return true;
      case '-':
        zoomBy(0.8);
        return true;
      default:
        return false;
    }
  });

  const layPoint = (stroke: Stroke, p: Point) => {
    const d = drawn.current;
    const previous = stroke.points.at(-1) ?? p;
    stroke.points.push(p);
    if (d) {
      paint(applySegment(d.raster, stroke, previous, p));
    }
  };

  const down = (e: PointerEvent<HTMLDivElement>) => {
    const v = viewRef.current;
    if (!v || !stage) {
      return;
    }
    e.currentTarget.setPointerCapture(e.pointerId);
    const p = local(e);
    pointers.current.set(e.pointerId, p);
    const [a, b] = [...pointers.current.values()];
    if (pointers.current.size === 2 && a && b) {
      // A second finger turns a stroke just begun into a pinch: the stroke is dropped.
      if (gesture.current?.kind === 'paint') {
        rebuild(ops);
      }
      gesture.current = { kind: 'pinch', last: [a, b] };
      return;
    }
    if (pointers.current.size > 1) {
      return;
    }
    if (e.button === 1 || spaceHeld) {
      gesture.current = { kind: 'pan', last: p };
    } else if (e.button === 0) {
      const stroke: Stroke = {
        points: [],
        radius: brush.size / 2 / v.scale,
        hardness: brush.hardness,
        erase: brush.erase,
      };
      gesture.current = { kind: 'paint', stroke };
      layPoint(stroke, { x: (p.x - v.x) / v.scale, y: (p.y - v.y) / v.scale });
    }
  };

  const move = (e: PointerEvent<HTMLDivElement>) => {
    const p = local(e);
    setRing(e.pointerType === 'touch' ? null : p);
    const v = viewRef.current;
    const g = gesture.current;
    if (!pointers.current.has(e.pointerId) || !v || !stage || !g) {
      return;
    }
    pointers.current.set(e.pointerId, p);
    if (g.kind === 'pinch') {
      const [a, b] = [...pointers.current.values()];
      if (a && b) {
        setView(pinch(v, g.last, [a, b], image, stage));
        g.last = [a, b];
      }
    } else if (g.kind === 'pan') {
      setView(panBy(v, p.x - g.last.x, p.y - g.last.y, image, stage));
      g.last = p;
    } else {
      const point = { x: (p.x - v.x) / v.scale, y: (p.y - v.y) / v.scale };
      const last = g.stroke.points.at(-1);
      // Points closer than half an image pixel add nothing to the mask.
      if (!last || Math.hypot(point.x - last.x, point.y - last.y) >= 0.5) {
        layPoint(g.stroke, point);
      }
    }
  };

  const up = (e: PointerEvent<HTMLDivElement>) => {
    pointers.current.delete(e.pointerId);
    const g = gesture.current;
    if (g?.kind === 'paint') {
      gesture.current = null;
      const next = [...ops, g.stroke];
      if (drawn.current) {
        drawn.current.ops = next;
      }
      onStroke(g.stroke);
    } else if (pointers.current.size === 0) {
      gesture.current = null;
    }
  };

  const shown = view ?? (stage ? clampView(fitView(image, stage), image, stage) : null);
  const ratio = width / height;
  const panning = spaceHeld || gesture.current?.kind === 'pan';
  return (
    <div style={{ width: '100%', maxWidth: `calc(65vh * ${ratio})`, marginInline: 'auto' }}>
      <div
        ref={viewport}
        className={classes.viewport}
        data-testid="edit-stage"
        data-zoom={shown ? shown.scale : undefined}
        style={{ aspectRatio: `${ratio}`, cursor: panning ? 'grab' : 'none' }}
        role="application"
        aria-roledescription="mask editor"
        aria-label="Mask editor: drag to paint. [ and ] change the brush size, the wheel or + and − zoom, 0 fits, hold Space and drag to pan."
        // biome-ignore lint/a11y/noNoninteractiveTabindex: the stage takes focus so its keys (Space, [ ], 0) reach it
        tabIndex={0}
        onPointerDown={down}
        onPointerMove={move}
        onPointerUp={up}
        onPointerCancel={up}
        onPointerEnter={() => {
          hovering.current = true;
        }}
        onPointerLeave={() => {
          hovering.current = false;
          setRing(null);
        }}
      >
        <div
          className={classes.content}
          style={{
            width,
            height,
            transform: shown ? `translate(${shown.x}px, ${shown.y}px) scale(${shown.scale})` : undefined,
            visibility: shown ? 'visible' : 'hidden',
            imageRendering: shown && shown.scale >= 2 ? 'pixelated' : undefined,
          }}
        >
          <img className={classes.image} src={url} alt={`Source: ${name}`} draggable={false} />
          <canvas
            ref={canvas}
            className={classes.mask}
            width={width}
            height={height}
            style={{ opacity: brush.opacity }}
            data-testid="edit-mask"
            aria-hidden
          />
        </div>
        {ring && !panning && (
          <div
            className={classes.brush}
            style={{ left: ring.x, top: ring.y, width: brush.size, height: brush.size }}
            data-testid="edit-brush-ring"
            aria-hidden
          >
            {brush.hardness < 1 && (
              <div
                className={classes.core}
                style={{ width: brush.size * brush.hardness, height: brush.size * brush.hardness }}
              />
            )}
          </div>
        )}
        <Group gap={2} className={classes.zoom} onPointerDown={(e) => e.stopPropagation()}>
          <Tooltip label="Zoom out (−)">
            <ActionIcon variant="default" size="md" aria-label="Zoom out" onClick={() => zoomBy(0.8)}>
              <IconZoomOut size={16} />
            </ActionIcon>
          </Tooltip>
          <Text size="xs" fw={600} w={48} ta="center" data-testid="edit-zoom">
            {shown ? `${Math.round(shown.scale * 100)}%` : ''}
          </Text>
          <Tooltip label="Zoom in (+)">
            <ActionIcon variant="default" size="md" aria-label="Zoom in" onClick={() => zoomBy(1.25)}>
              <IconZoomIn size={16} />
            </ActionIcon>
          </Tooltip>
          <Tooltip label="Fit (0)">
            <ActionIcon variant="default" size="md" aria-label="Fit to screen" onClick={fit}>
              <IconMaximize size={16} />
            </ActionIcon>
          </Tooltip>
        </Group>
      </div>
    </div>
  );
}
