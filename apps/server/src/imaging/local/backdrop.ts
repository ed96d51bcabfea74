import sharp from 'sharp';
import type { RawImage } from './raw-image.ts';
import { parseColor } from './recolor.ts';

export type Backdrop =
  | { kind: 'color'; color: string }
  | { kind: 'image'; bytes: Buffer }
  | { kind: 'blur'; radius: number };

/** Puts a cut-out (RGBA) on a colour, an image (cover-fitted) or a blurred copy of the original. */
export async function composeOnBackdrop(
  cutout: RawImage,
  original: RawImage,
  backdrop: Backdrop,
): Promise<RawImage> {
  const { width, height } = cutout;
  const raw = (img: RawImage) => ({ raw: { width: img.width, height: img.height, channels: img.channels } });
  let background: Buffer;
  if (backdrop.kind === 'color') {
    const [r, g, b] = parseColor(backdrop.color);
    background = await sharp({ create: { width, height, channels: 3, background: { r, g, b } } })
      .png()
      .toBuffer();
  } else if (backdrop.kind === 'image') {
    background = await sharp(backdrop.bytes)
      .resize(width, height, { fit: 'cover' })
      .removeAlpha()
      .png()
      .toBuffer();
  } else {
    background = await sharp(original.data, raw(original))
      .removeAlpha()
      .blur(Math.max(0.3, backdrop.radius / 2))
      .png()
      .toBuffer();
  }
  const fg = await sharp(cutout.data, raw(cutout)).png().toBuffer();
  const { data, info } = await sharp(background)
    .composite([{ input: fg }])
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: 3 };
}
