import type { Asset } from '@studio/contracts';
import type { AssetRow } from '../db/schema.ts';

export const assetFileUrl = (id: number) => `/api/content-assets/${id}/file`;
export const assetThumbnailUrl = (id: number, size: 'small' | 'large' = 'small') =>
  `/api/content-assets/${id}/thumbnail?size=${size}`;

function parseJson<T>(text: string, fallback: T): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

export function toAsset(row: AssetRow, parentIds: number[]): Asset {
  return {
    id: row.id,
    asset_type: row.asset_type,
    source_module: row.source_module,
    operation: row.operation,
    provider: row.provider,
    model: row.model,
    prompt: row.prompt,
    title: row.title,
    description: row.description,
    params: parseJson<Record<string, unknown>>(row.params, {}),
    width: row.width,
    height: row.height,
    format: row.format,
    mime_type: row.mime_type,
    file_size: Number(row.file_size),
    sha256: row.sha256,
    thumbhash: row.thumbhash,
    cost_credits: row.cost_credits,
    cost: row.cost_credits / 100,
    is_favorite: row.is_favorite === 1,
    tags: parseJson<string[]>(row.tags, []),
    collection_id: row.collection_id,
    parent_ids: parentIds,
    download_count: row.download_count,
    share_count: row.share_count,
    access_count: row.access_count,
    last_accessed: row.last_accessed,
    deleted_at: row.deleted_at,
    created_at: row.created_at,
    updated_at: row.updated_at,
    file_url: assetFileUrl(row.id),
    thumbnail_url: assetThumbnailUrl(row.id),
  };
}
