import sharp from 'sharp';
import type { FaceDetector } from './faces.ts';
import type { Rect, Size } from './geometry.ts';
import { analyseSubjects, planFor } from './subjects.ts';

export interface ExactImage {
  bytes: Buffer;
  width: number;
  height: number;
  /** The part of the generated image kept, in its pixels; absent when it already had the size. */
  crop?: Rect;
}

/**
 * Brings a generated image to the exact target size. Models generate at their nearest supported
 * size; the subject-aware crop (faces, then saliency) takes the target's aspect ratio out of it and
 * a Lanczos resize hits the pixels exactly. Output is PNG, lossless for the library.
 */
export async function toExactSize(bytes: Buffer, target: Size, faces: FaceDetector): Promise<ExactImage> {
  const image = sharp(bytes, { failOn: 'error' }).rotate();
  const { data, info } = await image.removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const source = { width: info.width, height: info.height };
  if (source.width === target.width && source.height === target.height) {
    return { bytes: await sharp(bytes).rotate().png().toBuffer(), ...target };
  }
  const raw = { data, width: info.width, height: info.height, channels: 3 as const, scale: 1 };
  const sameAspect = Math.abs(source.width / source.height - target.width / target.height) < 0.002;
  const plan = planFor(source, target, 'smart', sameAspect ? undefined : await analyseSubjects(raw, faces));
  const out = await sharp(data, { raw: { width: info.width, height: info.height, channels: 3 } })
    .extract(plan.crop)
    .resize(target.width, target.height, { fit: 'fill', kernel: 'lanczos3' })
    .png()
    .toBuffer();
  return { bytes: out, ...target, crop: plan.crop };
}
