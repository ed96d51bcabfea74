import { Text } from '@mantine/core';
import classes from './EditStage.module.css';
import type { Extents } from './editOptions.ts';
import { type Brush, MaskEditor } from './MaskEditor.tsx';
import type { MaskOp, Stroke } from './maskHistory.ts';

/** The stage fits the window's height so the whole image stays in view. */
const FIT = '65vh';

/**
 * The source at fit-to-screen size. With `painting`, the mask editor over it; with `extents`, the
 * image sits inside the larger outpaint canvas it will become.
 */
export function EditStage({
  url,
  name,
  width,
  height,
  ops,
  painting,
  brush,
  onBrush,
  onStroke,
  extents,
  onLoad,
  onError,
}: {
  url: string;
  name: string;
  width: number | null;
  height: number | null;
  ops: readonly MaskOp[];
  painting: boolean;
  brush: Brush;
  onBrush: (next: Brush) => void;
  onStroke: (stroke: Stroke) => void;
  extents: Extents | null;
  onLoad: (size: { width: number; height: number }) => void;
  /** The browser cannot draw the file (the server still checks it on a run). */
  onError?: () => void;
}) {
  if (painting && width && height) {
    return (
      <MaskEditor
        url={url}
        name={name}
        width={width}
        height={height}
        ops={ops}
        brush={brush}
        onBrush={onBrush}
        onStroke={onStroke}
      />
    );
  }
  const ratio = width && height ? width / height : 4 / 3;
  const image = (
    <img
      className={classes.image}
      src={url}
      alt={`Source: ${name}`}
      draggable={false}
      onLoad={(e) => onLoad({ width: e.currentTarget.naturalWidth, height: e.currentTarget.naturalHeight })}
      onError={onError}
    />
  );
  const stage = (
    <div className={classes.stage} data-testid="edit-stage" style={{ aspectRatio: `${ratio}` }}>
      {image}
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
