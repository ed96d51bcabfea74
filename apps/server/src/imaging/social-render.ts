import sharp, { type OverlayOptions, type Sharp } from 'sharp';
import { type EncodeSettings, runEncode } from './encode.ts';
import type { Rect, Size } from './geometry.ts';
import type { RawImage } from './ingest.ts';
import type { CropPlan } from './smart-crop.ts';

export type FitBackground = 'blur' | 'color' | 'extend';

/** Raw pixels with their layout, as thumbnails and previews take them. */
export interface RawFrame {
  data: Buffer;
  info: { width: number; height: number; channels: 1 | 2 | 3 | 4 };
}

export interface PaintOptions {
  background: FitBackground;
  /** Padding colour for `fit` with `color`. */
  color: string;
  /** What shows through transparency when the encoding has no alpha (JPEG). */
  matte: string;
}

/**
 * One output drawn from the shared decoded buffer (no copy): the crop (or the fitted image on its
 * background) at any size, with an optional overlay (an SVG the size of that rendering) on top.
 */
export class OutputPainter {
  constructor(
    private readonly raw: RawImage,
    private readonly plan: CropPlan,
    private readonly target: Size,
    private readonly options: PaintOptions,
  ) {}

  private async draw(size: Size, overlay?: Buffer): Promise<Sharp> {
    const k = size.width / this.target.width;
    const plan = k === 1 ? this.plan : scalePlacement(this.plan, k);
    const { base, layers } = await pixels(this.raw, plan, size, this.options);
    const all = overlay ? [...layers, { input: overlay }] : layers;
    return all.length > 0 ? base.composite(all) : base;
  }

  async encode(size: Size, settings: EncodeSettings, overlay?: Buffer): Promise<Buffer> {
    const drawn = await this.draw(size, overlay);
    const opaque =
      settings.format === 'jpeg' && this.raw.channels === 4
        ? drawn.flatten({ background: this.options.matte })
        : drawn;
    return runEncode(opaque, settings);
  }

  async rawAt(size: Size, overlay?: Buffer): Promise<RawFrame> {
    return (await this.draw(size, overlay)).raw().toBuffer({ resolveWithObject: true });
  }

  async previewJpeg(size: Size, overlay: Buffer): Promise<Buffer> {
    return (await this.draw(size, overlay)).jpeg({ quality: 80 }).toBuffer();
  }
}

/** The whole decoded source at a smaller size (the source asset's thumbnails). */
export function sourceFrame(raw: RawImage, size: Size): Promise<RawFrame> {
  return sharp(raw.data, { raw: { width: raw.width, height: raw.height, channels: raw.channels } })
    .resize(size.width, size.height, { fit: 'fill' })
    .raw()
    .toBuffer({ resolveWithObject: true });
}

interface Layers {
  base: Sharp;
  layers: OverlayOptions[];
}

async function pixels(raw: RawImage, plan: CropPlan, target: Size, o: PaintOptions): Promise<Layers> {
  const rawInfo = { width: raw.width, height: raw.height, channels: raw.channels };
  const input = () => sharp(raw.data, { raw: rawInfo });
  if (!plan.placement) {
    const s = raw.scale;
    const exact =
      Math.abs(plan.crop.width * s - target.width) <= 1 &&
      Math.abs(plan.crop.height * s - target.height) <= 1 &&
      raw.width >= target.width &&
      raw.height >= target.height;
    if (exact) {
      // Within a pixel of the output size already: a cut, not a resample that only stretches by one.
      const left = Math.min(raw.width - target.width, Math.round(plan.crop.left * s));
      const top = Math.min(raw.height - target.height, Math.round(plan.crop.top * s));
      return { base: input().extract({ left, top, ...target }), layers: [] };
    }
    const left = Math.min(raw.width - 1, Math.round(plan.crop.left * s));
    const top = Math.min(raw.height - 1, Math.round(plan.crop.top * s));
    const width = Math.max(1, Math.min(raw.width - left, Math.round(plan.crop.width * s)));
    const height = Math.max(1, Math.min(raw.height - top, Math.round(plan.crop.height * s)));
    return {
      base: input()
        .extract({ left, top, width, height })
        .resize(target.width, target.height, { fit: 'fill' }),
      layers: [],
    };
  }
  const p = plan.placement;
  const pad = {
    top: p.top,
    left: p.left,
    bottom: target.height - p.top - p.height,
    right: target.width - p.left - p.width,
  };
  const fitted = input().resize(p.width, p.height, { fit: 'fill' });
  if (o.background === 'color') return { base: fitted.extend({ ...pad, background: o.color }), layers: [] };
  if (o.background === 'extend') return { base: fitted.extend({ ...pad, extendWith: 'copy' }), layers: [] };
  // Blur: the image itself covering the frame, blurred small (cheap) and dimmed, under the fitted image.
  const small = {
    width: Math.max(1, Math.round(target.width / 8)),
    height: Math.max(1, Math.round(target.height / 8)),
  };
  const [backdrop, front] = await Promise.all([
    input()
      .resize(small.width, small.height, { fit: 'cover' })
      .blur(3)
      .linear(0.8, 0)
      .raw()
      .toBuffer({ resolveWithObject: true }),
    fitted.raw().toBuffer({ resolveWithObject: true }),
  ]);
  return {
    base: sharp(backdrop.data, { raw: backdrop.info }).resize(target.width, target.height, { fit: 'fill' }),
    layers: [{ input: front.data, raw: front.info, left: p.left, top: p.top }],
  };
}

/** A fit plan for a smaller rendering of the same output. */
function scalePlacement(plan: CropPlan, k: number): CropPlan {
  if (!plan.placement) return plan;
  return { ...plan, placement: scaleRect(plan.placement, k) };
}

export const scaleRect = (r: Rect, k: number): Rect => ({
  left: Math.round(r.left * k),
  top: Math.round(r.top * k),
  width: Math.max(1, Math.round(r.width * k)),
  height: Math.max(1, Math.round(r.height * k)),
});
