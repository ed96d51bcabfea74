import { AssetListQuery } from '@studio/contracts';
import { z } from 'zod';
import type { AssetService } from '../assets/asset.service.ts';
import type { LibraryService } from '../assets/library.service.ts';
import { findFormatById, type PlatformFormat } from './platforms.ts';

export interface SavedCrop {
  format: PlatformFormat;
  crop: { left: number; top: number; width: number; height: number };
  assetId: number;
  savedAt: string;
}

/** What an export writes into each output's params (see SocialStudio.optimize). */
const OutputParams = z.object({
  format_id: z.string(),
  crop: z.object({
    left: z.number().int(),
    top: z.number().int(),
    width: z.number().int(),
    height: z.number().int(),
  }),
});

/**
 * The crops last exported from a source, per format: read back from the social outputs whose
 * parent is the source, newest first, so re-exporting later gives the same crops. Outputs keep
 * their crop in their params, so there is no table of its own to keep in step.
 */
export async function savedCrops(
  deps: { assets: Pick<AssetService, 'get'>; library: Pick<LibraryService, 'list'> },
  userId: number,
  sourceAssetId: number,
): Promise<SavedCrop[]> {
  await deps.assets.get(userId, sourceAssetId);
  const query = AssetListQuery.parse({
    parent_id: sourceAssetId,
    source_module: 'social',
    sort_by: 'created_at',
    sort_order: 'desc',
    limit: 500,
  });
  const { assets } = await deps.library.list(userId, query);
  const latest = new Map<string, SavedCrop>();
  for (const asset of assets) {
    const params = OutputParams.safeParse(asset.params);
    const format = params.success ? findFormatById(params.data.format_id) : undefined;
    if (!params.success || !format || latest.has(format.id)) continue;
    latest.set(format.id, { format, crop: params.data.crop, assetId: asset.id, savedAt: asset.created_at });
  }
  return [...latest.values()];
}
