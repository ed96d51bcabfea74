import type { SocialRect } from '../../api/social.ts';

/** An even-odd path: the whole frame minus one rectangle, to shade everything outside it. */
const outside = (w: number, h: number, r: SocialRect) =>
  `M0 0H${w}V${h}H0Z M${r.left} ${r.top}V${r.top + r.height}H${r.left + r.width}V${r.top}Z`;

/**
 * The platform's safe area drawn over an output (output pixels), never burned into the file:
 * UI chrome covers the shaded band, so text and faces belong inside the dashed frame.
 */
export function SafeZoneOverlay({
  width,
  height,
  rect,
}: {
  width: number;
  height: number;
  rect: SocialRect;
}) {
  return (
    <svg
      data-testid="safe-zone-overlay"
      viewBox={`0 0 ${width} ${height}`}
      preserveAspectRatio="none"
      aria-hidden
      style={{ position: 'absolute', inset: 0, width: '100%', height: '100%', pointerEvents: 'none' }}
    >
      <path d={outside(width, height, rect)} fill="rgba(255, 40, 80, 0.28)" fillRule="evenodd" />
      <rect
        x={rect.left}
        y={rect.top}
        width={rect.width}
        height={rect.height}
        fill="none"
        stroke="#fff"
        strokeWidth={2}
        strokeDasharray="6 4"
        vectorEffect="non-scaling-stroke"
      />
    </svg>
  );
}

/** A small copy of the source with the part each output used (source pixels) and the subjects seen. */
export function CropPreview({
  src,
  width,
  height,
  crop,
  subjects,
  label,
}: {
  src: string;
  width: number;
  height: number;
  crop: SocialRect;
  subjects: SocialRect[];
  label: string;
}) {
  return (
    <svg
      data-testid="crop-preview"
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={label}
      style={{ display: 'block', width: '100%', height: 'auto', borderRadius: 4 }}
    >
      <image href={src} x={0} y={0} width={width} height={height} preserveAspectRatio="none" />
      <path d={outside(width, height, crop)} fill="rgba(0, 0, 0, 0.55)" fillRule="evenodd" />
      {subjects.map((s) => (
        <rect
          key={`${s.left}-${s.top}-${s.width}-${s.height}`}
          x={s.left}
          y={s.top}
          width={s.width}
          height={s.height}
          fill="none"
          stroke="#ffd43b"
          strokeWidth={1.5}
          strokeDasharray="4 3"
          vectorEffect="non-scaling-stroke"
        />
      ))}
      <rect
        x={crop.left}
        y={crop.top}
        width={crop.width}
        height={crop.height}
        fill="none"
        stroke="#fff"
        strokeWidth={2}
        vectorEffect="non-scaling-stroke"
      />
    </svg>
  );
}
