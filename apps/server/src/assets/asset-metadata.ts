import { AppError } from '../errors.ts';

/**
 * The most an asset's params may hold once `asset_metadata` is merged in: the contract bounds one
 * request to the same 64 KB, but merges add up, so without this repeated edits could grow a row
 * (and every listing that returns it) without end.
 */
export const MAX_ASSET_PARAMS_BYTES = 64 * 1024;

/** The asset's params with `metadata` merged over them, as stored JSON; 413 past the limit. */
export function mergeMetadata(params: Record<string, unknown>, metadata: Record<string, unknown>): string {
  const merged = JSON.stringify({ ...params, ...metadata });
  const size = Buffer.byteLength(merged, 'utf8');
  if (size > MAX_ASSET_PARAMS_BYTES) {
    throw new AppError(
      413,
      'asset_metadata_too_large',
      `An asset's metadata may hold ${MAX_ASSET_PARAMS_BYTES / 1024} KB of JSON; with this change it ` +
        `would hold ${Math.ceil(size / 1024)} KB. Nothing was changed; remove keys or send smaller values.`,
      { size, limit: MAX_ASSET_PARAMS_BYTES },
    );
  }
  return merged;
}
