import sharp from 'sharp';
import { sceneWithSubject } from '../apps/server/src/imaging/test-images.ts';

/**
 * A photo's statistics at any size, made by code: a scene with a face-sized subject under
 * gaussian grain, as JPEG at quality 90 (a 12 MP one is ~3.6 MB, like a phone's).
 */
export async function photoLike(width: number, height: number): Promise<Buffer> {
  const face = {
    left: Math.round(width * 0.68),
    top: Math.round(height * 0.18),
    width: Math.round(width * 0.12),
    height: Math.round(height * 0.16),
  };
  const scene = await sceneWithSubject(width, height, face);
  const grain = await sharp({
    create: {
      width,
      height,
      channels: 3,
      background: '#808080',
      noise: { type: 'gaussian', mean: 128, sigma: 24 },
    },
  })
    .png({ compressionLevel: 0 })
    .toBuffer();
  return sharp(scene)
    .composite([{ input: grain, blend: 'soft-light' }])
    .jpeg({ quality: 90 })
    .toBuffer();
}
