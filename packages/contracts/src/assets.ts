import { z } from 'zod';
import { Base64Image, CoercedId, Id, jsonWithin, Text } from './common.ts';

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
    cost_credits: z
      .number()
      .describe('Credits charged (1 credit = US$0.01); fractional for sub-cent prices.'),
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

/**
 * The original's asset types and source modules (seed-facts §9.1), plus this studio's own modules
 * (the studio that made the asset) and `upload` for user uploads.
 */
export const ASSET_TYPES = ['text', 'image', 'video', 'audio'] as const;
export const SOURCE_MODULES = [
  'story_writer',
  'image_studio',
  'main_text_generation',
  'main_image_generation',
  'main_video_generation',
  'main_audio_generation',
  'blog_writer',
  'linkedin_writer',
  'facebook_writer',
  'seo_tools',
  'content_planning',
  'writing_assistant',
  'research_tools',
  'content_strategy',
  'product_marketing',
  'podcast_maker',
  'youtube_creator',
  'brand_avatar_generator',
  'video_studio',
  'voice_cloner',
  'create',
  'edit',
  'upscale',
  'control',
  'social',
  'upload',
] as const;
export const ASSET_SORTS = ['created_at', 'updated_at', 'cost', 'file_size', 'title', 'relevance'] as const;
export type AssetSort = (typeof ASSET_SORTS)[number];

/** Query booleans: `z.coerce.boolean` would read "false" as true. */
const queryBool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const isoDate = z
  .string()
  .max(40)
  .refine((v) => /^\d{4}-\d{2}-\d{2}/.test(v) && !Number.isNaN(Date.parse(v)), {
    message: 'Expected an ISO-8601 date or date-time (e.g. 2025-01-31 or 2025-01-31T10:00:00Z).',
  });

const shortText = Text().trim().min(1).max(200);
const dimension = z.coerce.number().int().min(0).max(1_000_000);

export const AssetListQuery = z.object({
  asset_type: z.enum(ASSET_TYPES).optional(),
  source_module: z.enum(SOURCE_MODULES).optional(),
  search: z
    .string()
    .max(500)
    .optional()
    .describe('Full-text search over title, description, prompt, tags, provider and model.'),
  tags: z
    .string()
    .max(2000)
    .optional()
    .describe('Comma-separated; an asset matches when it has any of them.'),
  favorites_only: queryBool.optional(),
  collection_id: CoercedId.optional(),
  date_from: isoDate.optional(),
  date_to: isoDate.optional().describe('Inclusive; a bare date means the end of that day (UTC).'),
  sort_by: z
    .enum(ASSET_SORTS)
    .optional()
    .describe('Default: relevance when searching without a cursor, else created_at.'),
  sort_order: z.enum(['asc', 'desc']).default('desc'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
  cursor: z
    .string()
    .max(500)
    .optional()
    .describe('Opaque `next_cursor` of the previous page; stable under inserts. Not with relevance.'),
  provider: shortText.optional(),
  model: shortText.optional(),
  operation: shortText.optional(),
  platform: shortText.optional().describe('Social platform, from the params or tags of social outputs.'),
  min_width: dimension.optional(),
  max_width: dimension.optional(),
  min_height: dimension.optional(),
  max_height: dimension.optional(),
  parent_id: CoercedId.optional().describe('Only direct children of this asset.'),
  trashed: queryBool.optional().describe('true: the trash instead of the library.'),
  color: z
    .string()
    .max(7)
    .regex(/^#?[0-9a-fA-F]{6}$/, 'A colour is #rrggbb.')
    .optional()
    .describe('Only images with this colour among their dominant colours (e.g. #2255ff).'),
  color_tolerance: z.coerce
    .number()
    .min(1)
    .max(100)
    .optional()
    .describe('How far (CIELAB ΔE) a dominant colour may be from `color`; default 20.'),
});
export type AssetListQuery = z.infer<typeof AssetListQuery>;

export const AssetList = z.object({
  assets: z.array(Asset),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
  next_cursor: z.string().nullable(),
});
export type AssetList = z.infer<typeof AssetList>;

const tagList = z.array(Text().trim().min(1).max(100)).max(100);

export const AssetUpdateBody = z.object({
  title: Text().max(500).nullable().optional(),
  description: Text().max(10_000).nullable().optional(),
  tags: tagList.optional(),
  asset_metadata: z
    .record(z.string(), z.unknown())
    .refine(jsonWithin(16, 64 * 1024), 'asset_metadata may nest 16 levels deep and hold 64 KB at most.')
    .optional()
    .describe("Merged into the asset's params, as the original merges asset_metadata."),
});
export type AssetUpdateBody = z.infer<typeof AssetUpdateBody>;

export const FavoriteResponse = z.object({ asset_id: z.number().int(), is_favorite: z.boolean() });

export const USAGE_ACTIONS = ['download', 'share', 'access'] as const;
export const UsageQuery = z.object({ action: z.enum(USAGE_ACTIONS) });
export const UsageResponse = z.object({
  asset_id: z.number().int(),
  action: z.enum(USAGE_ACTIONS),
  tracked: z.literal(true),
});

export const DeleteQuery = z.object({ permanent: queryBool.optional() });
export const DeleteResponse = z.object({
  asset_id: z.number().int(),
  deleted: z.literal(true),
  permanent: z.boolean(),
});
export const PurgeResponse = z.object({ purged: z.number().int() });

export const AssetStatistics = z.object({
  total: z.number().int(),
  by_type: z.record(z.string(), z.number().int()),
  by_source: z.record(z.string(), z.number().int()),
  by_provider: z.record(z.string(), z.number().int()),
  total_cost: z.number().describe('US dollars.'),
  total_cost_credits: z.number(),
  favorites_count: z.number().int(),
  trashed_count: z.number().int(),
});
export type AssetStatistics = z.infer<typeof AssetStatistics>;

export const LineageAsset = Asset.extend({
  depth: z.number().int().describe('1 = direct parent/child, 2 = grandparent/grandchild, …'),
});
export const Lineage = z.object({
  asset_id: z.number().int(),
  ancestors: z.array(LineageAsset),
  descendants: z.array(LineageAsset),
});
export type Lineage = z.infer<typeof Lineage>;

export const AssetIds = z.array(Id).min(1).max(1000);

export const BULK_ACTIONS = ['favorite', 'unfavorite', 'tag', 'move', 'delete', 'download'] as const;
export const BulkParams = z.object({ action: z.enum(BULK_ACTIONS).exclude(['download']) });
export const BulkBody = z.object({
  asset_ids: AssetIds,
  tags: tagList.optional().describe('tag: the tags to add (or remove / set, per tag_mode).'),
  tag_mode: z.enum(['add', 'remove', 'set']).default('add'),
  collection_id: Id.nullable()
    .optional()
    .describe('move: the target collection; null takes the assets out of their collection.'),
  permanent: z.boolean().default(false).describe('delete: purge instead of moving to the trash.'),
});
export type BulkBody = z.infer<typeof BulkBody>;
export const BulkResult = z.object({
  action: z.enum(BULK_ACTIONS),
  asset_ids: z.array(z.number().int()).describe('The assets the action applied to.'),
  not_found: z.array(z.number().int()).describe('Ids that are missing or not yours.'),
});
export type BulkResult = z.infer<typeof BulkResult>;

export const UploadBody = z.object({
  image_base64: Base64Image.optional().describe(
    'Base64 or a data URL; or send the request as multipart with the image as a `file` part.',
  ),
  title: Text().max(500).optional(),
  description: Text().max(10_000).optional(),
  prompt: Text().max(10_000).optional(),
  tags: tagList.optional(),
});

export const SaveToLibraryRequest = z.object({
  image_base64: Base64Image,
  prompt: Text().max(20_000).nullable().optional(),
  provider: Text().max(100).nullable().optional(),
  model: Text().max(100).nullable().optional(),
  cost: z.number().min(0).max(100_000).nullable().optional().describe('US dollars.'),
  operation: Text().max(100).default('image-generation'),
  output_format: Text().max(10).default('png'),
});
export const SaveToLibraryResponse = z.object({
  success: z.literal(true),
  asset_id: z.number().int(),
  file_url: z.string(),
  filename: z.string(),
  file_size: z.number().int(),
});

export const Collection = z
  .object({
    id: z.number().int(),
    user_id: z.number().int(),
    name: z.string(),
    description: z.string().nullable(),
    is_public: z.boolean(),
    cover_asset_id: z.number().int().nullable(),
    cover_thumbnail_url: z.string().nullable(),
    asset_count: z.number().int(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'Collection' });
export type Collection = z.infer<typeof Collection>;

export const CollectionCreate = z.object({
  name: Text().trim().min(1).max(200),
  description: Text().max(5000).nullable().optional(),
  is_public: z.boolean().default(false),
});
export const CollectionUpdate = z.object({
  name: Text().trim().min(1).max(200).optional(),
  description: Text().max(5000).nullable().optional(),
  is_public: z.boolean().optional(),
  cover_asset_id: Id.nullable().optional(),
});
export type CollectionUpdate = z.infer<typeof CollectionUpdate>;
export const CollectionListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});
export const CollectionList = z.object({
  collections: z.array(Collection),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});
export const CollectionAssetsBody = z.object({ asset_ids: AssetIds });
export const CollectionAssetsResult = z.object({
  collection_id: z.number().int(),
  asset_ids: z.array(z.number().int()),
  not_found: z.array(z.number().int()),
  asset_count: z.number().int(),
});
export const CollectionDeleted = z.object({
  collection_id: z.number().int(),
  deleted: z.literal(true),
  detached: z.number().int(),
});
