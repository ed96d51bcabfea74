import { grainyPhoto } from '../apps/server/src/imaging/test-images.ts';

/**
 * The benches' photo at any size, made by code: a scene with a face-sized subject under gaussian
 * grain, as JPEG at quality 90 (a 12 MP one is ~3.6 MB, like a phone's).
 */
export const photoLike = (width: number, height: number): Promise<Buffer> =>
  grainyPhoto(width, height, {
    subject: { left: 0.68, top: 0.18, width: 0.12, height: 0.16 },
    sigma: 24,
    quality: 90,
  });
