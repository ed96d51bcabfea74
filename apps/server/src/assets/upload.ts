import type { Asset } from '@studio/contracts';
import type { IngestedImage } from '../imaging/ingest.ts';
import type { AssetService, NewAssetInput } from './asset.service.ts';
import { uniqueTags } from './row-fields.ts';

export interface UploadDetails {
  title?: string | null;
  description?: string | null;
  prompt?: string | null;
  tags?: string[];
  /** The client's file name: kept in params, and the title when none is given. */
  filename?: string;
  /** Batch savers answering a waiting client: see NewAssetInput. */
  deferThumbnails?: boolean;
  pixels?: NewAssetInput['pixels'];
}

/**
 * The one way an uploaded image becomes an asset (library uploads, studio inputs, the Social
 * Optimizer's source). Taking an IngestedImage means the bytes came through imaging/ingest; bytes
 * the user already has return that asset (`created: false`) instead of a second row.
 */
export function createUploadedAsset(
  assets: Pick<AssetService, 'create'>,
  userId: number,
  image: IngestedImage,
  details: UploadDetails = {},
): Promise<{ asset: Asset; created: boolean }> {
  const fromFilename = details.filename?.replace(/\.[^.]*$/, '').slice(0, 200);
  return assets.create({
    userId,
    bytes: image.bytes,
    sourceModule: 'upload',
    operation: 'upload',
    title: details.title ?? fromFilename ?? null,
    description: details.description ?? null,
    prompt: details.prompt ?? null,
    tags: details.tags ? uniqueTags(details.tags) : [],
    params: details.filename ? { original_filename: details.filename } : {},
    dedupe: true,
    deferThumbnails: details.deferThumbnails,
    pixels: details.pixels,
  });
}
