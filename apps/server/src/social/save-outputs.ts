import type { Asset } from '@studio/contracts';
import type { AssetService } from '../assets/asset.service.ts';
import { largeThumbSize } from '../imaging/thumbnails.ts';
import { mapLimited } from '../util/map-limited.ts';
import { findPlatform } from './platforms.ts';
import type { OptimizedImage } from './social.service.ts';

/**
 * Saving is hashing, an fsynced write and an insert per output (thumbnails come later): mostly
 * waiting on the disk, so a whole export's outputs are saved at once.
 */
const SAVE_CONCURRENCY = 16;

/** Social outputs become assets (module `social`, parent = the source), with the crop behind each. */
export function saveOutputs(
  assets: Pick<AssetService, 'create'>,
  userId: number,
  outputs: readonly OptimizedImage[],
  sourceAssetId: number,
  cropMode: string,
): Promise<Array<{ output: OptimizedImage; asset: Asset }>> {
  return mapLimited(outputs, SAVE_CONCURRENCY, async (output) => {
    const platform = findPlatform(output.format.platform);
    const { asset } = await assets.create({
      userId,
      bytes: output.bytes,
      sourceModule: 'social',
      operation: 'social.optimize',
      title: `${platform?.displayName ?? output.format.platform} ${output.format.name}`,
      tags: ['social', output.format.platform, output.format.id.split('.')[1] ?? output.format.id],
      parentIds: [sourceAssetId],
      deferThumbnails: true,
      pixels: () => output.rawAt(largeThumbSize(output.width, output.height)),
      params: {
        platform: output.format.platform,
        format_id: output.format.id,
        crop_mode: cropMode,
        crop: output.crop,
        crop_strategy: output.strategy,
        subjects: output.subjects,
        output_format: output.encoding,
        quality: output.quality,
      },
    });
    return { output, asset };
  });
}
