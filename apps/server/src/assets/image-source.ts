import { type IngestedImage, type IngestOptions, ingestBase64, ingestBytes } from '../imaging/ingest.ts';
import type { AssetService } from './asset.service.ts';

/**
 * Where an input image comes from: base64 or a data URL, uploaded bytes (with the file's name when
 * the client gave one), or one of the caller's assets.
 */
export type ImageSource = { base64: string } | { bytes: Buffer; name?: string } | { assetId: number };

/**
 * Every module's way from an input to an ingested image: the bytes go through the one ingest path
 * whatever their origin; an asset that is not the caller's is a 404 before anything is decoded.
 */
export async function loadImageSource(
  assets: Pick<AssetService, 'bytes'>,
  userId: number,
  source: ImageSource,
  options: IngestOptions,
): Promise<IngestedImage> {
  if ('base64' in source) return ingestBase64(source.base64, options);
  if ('bytes' in source) return ingestBytes(source.bytes, options);
  return ingestBytes(await assets.bytes(userId, source.assetId), options);
}
