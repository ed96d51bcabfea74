import { z } from 'zod';

/** One asset as the API shows it (field names follow the original's content-asset responses). */
export const Asset = z
  .object({
    id: z.number().int(),
    asset_type: z.string(),
    source_module: z.string(),
    operation: z.string().nullable(),
    provider: z.string().nullable(),
    model: z.string().nullable(),
    prompt: z.string().nullable(),
    title: z.string().nullable(),
    description: z.string().nullable(),
    params: z.record(z.string(), z.unknown()),
    width: z.number().int(),
    height: z.number().int(),
    format: z.string(),
    mime_type: z.string(),
    file_size: z.number().int(),
    sha256: z.string(),
    thumbhash: z.string().nullable(),
    cost_credits: z.number().describe('Credits charged (1 credit = US$0.01); fractional for sub-cent prices.'),
    cost: z.number().describe('US dollars (1 credit = $0.01).'),
    is_favorite: z.boolean(),
    tags: z.array(z.string()),
    collection_id: z.number().int().nullable(),
    parent_ids: z.array(z.number().int()),
    download_count: z.number().int(),
    share_count: z.number().int(),
    access_count: z.number().int(),
    last_accessed: z.string().nullable(),
    deleted_at: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
    file_url: z.string(),
    thumbnail_url: z.string(),
  })
  .meta({ id: 'Asset' });
export type Asset = z.infer<typeof Asset>;

export const ThumbnailQuery = z.object({ size: z.enum(['small', 'large']).default('small') });
export const FileQuery = z.object({ download: z.coerce.boolean().optional() });
