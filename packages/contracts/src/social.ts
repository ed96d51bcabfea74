import { z } from 'zod';
import { Base64Image, CoercedId } from './common.ts';

/*
 * Every image-taking request accepts exactly one of: `image_base64` (raw or data URL), `asset_id`,
 * or a multipart upload with a `file` part (the other fields as form fields; arrays and objects as
 * JSON text, `platforms` also comma-separated).
 */

const Rect = z.object({ left: z.number(), top: z.number(), width: z.number(), height: z.number() });

const SafeZone = z
  .object({ top: z.number(), bottom: z.number(), left: z.number(), right: z.number() })
  .describe('Fractions of the output height (top, bottom) and width (left, right).');

const SafeArea = SafeZone.extend({ id: z.string(), label: z.string() });

export const PlatformParam = z.object({ platform: z.string().min(1).max(50) });

/** One format as the original's `GET /social/platforms/{platform}/formats` listed it, plus extras. */
export const SocialFormat = z
  .object({
    id: z.string().describe('Stable id `<platform>.<slug>`; accepted wherever a format name is.'),
    name: z.string(),
    width: z.number().int(),
    height: z.number().int(),
    ratio: z.string(),
    safe_zone: SafeZone,
    file_type: z.string().describe('Preferred upload type (the seed field).'),
    file_types: z.array(z.string()),
    max_size_mb: z.number(),
    max_size_bytes: z.number().int(),
    max_edge: z.number().int().optional().describe('Longest side the platform keeps.'),
    min_width: z
      .number()
      .int()
      .optional()
      .describe(
        'Narrowest width accepted; present where an output may be made smaller to meet max_size_bytes.',
      ),
    safe_areas: z
      .array(SafeArea)
      .describe('Further overlays: nested device areas, or how another view (the profile grid) crops it.'),
    seed: z.boolean().describe("One of the original's 20 formats."),
    source: z.string().describe('The help page or spec the entry is checked against.'),
    verified: z
      .string()
      .nullable()
      .describe('Date a person confirmed the entry against `source`; null = not confirmed.'),
    note: z.string().optional(),
  })
  .meta({ id: 'SocialFormat' });

export const SocialFormatsResponse = z.object({
  platform: z.string(),
  catalogue_version: z.string(),
  formats: z.array(SocialFormat),
});

export const SocialPlatformsResponse = z.object({
  catalogue_version: z.string(),
  platforms: z.array(z.object({ id: z.string(), display_name: z.string(), formats: z.array(SocialFormat) })),
});

/** The original's `GET /platform-specs/{platform}` (seed-facts §2.2), from the same catalogue. */
export const PlatformSpecResponse = z.object({
  platform: z.string().describe('Display name, as the original returned it.'),
  id: z.string(),
  file_types: z.array(z.string()),
  max_file_size: z.string(),
  max_file_size_bytes: z.number().int(),
  source: z.string(),
  verified: z.string().nullable(),
  catalogue_version: z.string(),
  formats: z.array(
    z.object({
      name: z.string(),
      size: z.string(),
      width: z.number().int(),
      height: z.number().int(),
      ratio: z.string(),
      max_file_size: z.string(),
      file_types: z.array(z.string()),
    }),
  ),
});

const quality = z.number().int().min(1).max(100);

export const SocialCropOverride = z
  .object({
    platform: z.string().max(50),
    format: z.string().max(100).describe("The format's name or id, as in format_names."),
    left: z.number().int().min(0),
    top: z.number().int().min(0),
    width: z.number().int().min(1),
    height: z.number().int().min(1),
  })
  .describe("Source pixels; inside the image and the format's aspect ratio within 1%.")
  .meta({ id: 'SocialCropOverride' });

const CropStrategy = z
  .enum(['focal_point', 'faces', 'subjects', 'saliency', 'center', 'fit', 'manual'])
  .describe(
    "`faces`: people's heads and shoulders, all kept whole; `subjects`: detected animals or objects too, or a subject that had to be cut (see `crop_note`); `saliency`: nothing detected.",
  );

const DetectedSubject = z
  .object({
    label: z
      .string()
      .describe("A COCO class ('person', 'dog', 'cup', …) or 'face' for a face nothing else confirms."),
    kind: z.enum(['person', 'animal', 'object']),
    score: z.number(),
    box: Rect.describe('Source pixels; for people, the head and shoulders.'),
  })
  .describe('A subject the local detectors found (blazeface, CenterNet, MoveNet), most important first.')
  .meta({ id: 'SocialDetectedSubject' });

export const SocialOptimizeRequest = z
  .object({
    image_base64: Base64Image.optional().describe('Raw base64 or a data URL.'),
    asset_id: CoercedId.optional().describe('An image already in your library.'),
    platforms: z.array(z.string().max(50)).max(20).default([]),
    format_names: z
      .record(z.string(), z.union([z.string().max(100), z.array(z.string().max(100)).max(20)]))
      .nullable()
      .optional()
      .describe('platform → format name (or several); unknown names fall back to the first format.'),
    all_formats: z.boolean().default(false).describe('Every format of the listed platforms (or of all).'),
    show_safe_zones: z
      .boolean()
      .default(false)
      .describe('Return a separate preview image with the safe-zone overlay (exports stay clean).'),
    burn_safe_zones: z.boolean().default(false).describe('Draw the overlay into the exported images.'),
    crop_mode: z
      .string()
      .max(20)
      .default('smart')
      .describe('smart | center | fit; anything else behaves as center (as in the original).'),
    focal_point: z
      .object({ x: z.number().min(0).max(1), y: z.number().min(0).max(1) })
      .nullable()
      .optional()
      .describe('Fractions 0–1 of the source; wins over face and saliency detection.'),
    output_format: z.enum(['png', 'jpg', 'jpeg', 'webp', 'avif']).default('png'),
    quality: quality.optional().describe('Defaults: JPEG 85, WebP 82, AVIF 60, PNG lossless.'),
    fit_background: z.enum(['blur', 'color', 'extend']).default('color'),
    background_color: z
      .string()
      .max(7)
      .regex(/^#[0-9a-fA-F]{6}$/)
      .default('#ffffff')
      .describe('Fit padding colour, and the matte behind transparency in JPEG.'),
    include_base64: z.boolean().default(true).describe('Inline each output as a data URL (the seed did).'),
    crops: z
      .array(SocialCropOverride)
      .max(40)
      .optional()
      .describe(
        'Crops chosen by you (e.g. adjusted from /social/preview): an output whose crop is given uses exactly that rectangle.',
      ),
  })
  .meta({ id: 'SocialOptimizeRequest' });
export type SocialOptimizeRequest = z.infer<typeof SocialOptimizeRequest>;

export const SocialOptimizeQuery = z.object({
  download: z.enum(['zip']).optional().describe('`zip`: answer with a ZIP of all outputs instead of JSON.'),
});

export const SocialResult = z
  .object({
    platform: z.string(),
    format: z.string(),
    format_id: z.string(),
    width: z.number().int(),
    height: z.number().int(),
    ratio: z.string(),
    image_base64: z.string().optional().describe('Data URL of the exported image.'),
    mime_type: z.string(),
    file_size: z.number().int(),
    max_file_size: z.number().int(),
    within_size_limit: z.boolean(),
    quality: z.number().int(),
    quality_reduced: z.boolean(),
    safe_zone: SafeZone,
    safe_zone_rect: Rect.describe('The safe area in output pixels.'),
    crop: Rect.describe('The part of the source used, in source pixels.'),
    crop_strategy: CropStrategy.describe('`manual`: the crop you sent in `crops`.'),
    subjects: z.array(Rect).describe('Subject boxes (source pixels) the crop decision used.'),
    crop_note: z
      .string()
      .optional()
      .describe('`subjects`: which subjects were kept whole and which were cut.'),
    placement: Rect.optional().describe('fit: where the image sits in the output, in output pixels.'),
    encodes: z.number().int().describe('Encodes spent meeting max_file_size (1 when the first fit).'),
    preview_base64: z.string().optional().describe('show_safe_zones: a small JPEG with the overlay.'),
    asset_id: z.number().int(),
    file_url: z.string(),
    thumbnail_url: z.string(),
    warnings: z.array(z.string()),
  })
  .meta({ id: 'SocialResult' });

export const SocialOptimizeResponse = z
  .object({
    success: z.literal(true),
    results: z.array(SocialResult),
    total_optimized: z.number().int(),
    export_id: z.string(),
    zip_url: z.string(),
    source_asset_id: z.number().int(),
    source: z.object({ width: z.number().int(), height: z.number().int(), format: z.string() }),
    faces: z.array(Rect.extend({ score: z.number() })),
    detected_subjects: z.array(DetectedSubject).describe('Empty when no crop needed detection.'),
    failures: z
      .array(
        z.object({
          platform: z.string(),
          format: z.string(),
          format_id: z.string(),
          code: z.literal('over_size_limit'),
          message: z.string(),
        }),
      )
      .describe(
        'Outputs that no accepted format, quality or size brought under max_file_size; nothing saved.',
      ),
    warnings: z.array(z.string()),
  })
  .meta({ id: 'SocialOptimizeResponse' });

/** `POST /social/preview`: what an export with the same body would crop, without any image bytes. */
export const SocialPreviewResponse = z
  .object({
    success: z.literal(true),
    source: z.object({ width: z.number().int(), height: z.number().int(), format: z.string() }),
    faces: z.array(Rect.extend({ score: z.number() })),
    detected_subjects: z.array(DetectedSubject).describe('Empty when no crop needed detection.'),
    formats: z.array(
      z.object({
        platform: z.string(),
        format: z.string(),
        format_id: z.string(),
        width: z.number().int(),
        height: z.number().int(),
        ratio: z.string(),
        crop: Rect.describe('Source pixels; send it back in `crops` to export exactly this.'),
        crop_strategy: CropStrategy,
        subjects: z.array(Rect),
        crop_note: z.string().optional(),
        placement: Rect.optional(),
        safe_zone: SafeZone,
        safe_zone_rect: Rect.describe('Output pixels.'),
        safe_areas: z.array(SafeArea),
      }),
    ),
    warnings: z.array(z.string()),
  })
  .meta({ id: 'SocialPreviewResponse' });

export const SocialExportParam = z.object({
  file: z
    .string()
    .max(200)
    .regex(/^[0-9a-f]{20}(-\d+)+\.zip$/, 'Expected <export_id>.zip'),
});

const compressFormat = z.enum(['jpeg', 'jpg', 'png', 'webp', 'avif']);

/** The original's `POST /compress` (seed-facts §1.10) plus AVIF and asset_id input. */
export const CompressRequest = z
  .object({
    image_base64: Base64Image.optional(),
    asset_id: CoercedId.optional(),
    quality: quality.default(85),
    format: compressFormat.default('jpeg'),
    target_size_kb: z
      .number()
      .min(10)
      .max(1024 * 1024)
      .nullable()
      .optional(),
    strip_metadata: z.boolean().default(true),
    progressive: z.boolean().default(true),
    optimize: z.boolean().default(true),
  })
  .meta({ id: 'CompressRequest' });

export const CompressResponse = z.object({
  success: z.literal(true),
  image_base64: z.string(),
  original_size_kb: z.number(),
  compressed_size_kb: z.number(),
  compression_ratio: z.number().describe('Percentage reduction against the input.'),
  format: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  quality_used: z.number().int(),
  target_met: z.boolean(),
  metadata_stripped: z.boolean(),
});

/** The original's `POST /convert-format` (seed-facts §1.10) plus AVIF and asset_id input. */
export const ConvertFormatRequest = z
  .object({
    image_base64: Base64Image.optional(),
    asset_id: CoercedId.optional(),
    target_format: z.enum(['png', 'jpeg', 'jpg', 'webp', 'gif', 'bmp', 'tiff', 'avif']),
    preserve_transparency: z.boolean().default(true),
    quality: quality.nullable().optional(),
    color_space: z.string().max(30).nullable().optional().describe('"sRGB" (default) or "Display P3".'),
    strip_metadata: z.boolean().default(false),
    optimize: z.boolean().default(true),
    progressive: z.boolean().default(true),
  })
  .meta({ id: 'ConvertFormatRequest' });

export const ConvertFormatResponse = z.object({
  success: z.literal(true),
  image_base64: z.string(),
  original_format: z.string(),
  target_format: z.string(),
  original_size_kb: z.number(),
  converted_size_kb: z.number(),
  width: z.number().int(),
  height: z.number().int(),
  transparency_preserved: z.boolean(),
  metadata_preserved: z.boolean(),
  color_space: z.string(),
});

const BatchError = z.object({ code: z.string(), message: z.string() });

/** The original's `/compress/batch`: failed items come back zeroed, with their error. */
export const CompressBatchRequest = z.object({ images: z.array(CompressRequest).min(1).max(20) });
export const CompressBatchResponse = z.object({
  success: z.boolean().describe('True when no item failed.'),
  results: z.array(CompressResponse.extend({ success: z.boolean(), error: BatchError.optional() })),
  total_images: z.number().int(),
  successful: z.number().int(),
  failed: z.number().int(),
});

export const ConvertFormatBatchRequest = z.object({ images: z.array(ConvertFormatRequest).min(1).max(20) });
export const ConvertFormatBatchResponse = z.object({
  success: z.boolean(),
  results: z.array(ConvertFormatResponse.extend({ success: z.boolean(), error: BatchError.optional() })),
  total_images: z.number().int(),
  successful: z.number().int(),
  failed: z.number().int(),
});

/** The original's `/compress/estimate`; here the size is measured by encoding, not guessed. */
export const CompressEstimateRequest = z.object({
  image_base64: Base64Image.optional(),
  asset_id: CoercedId.optional(),
  format: z.enum(['jpeg', 'jpg', 'png', 'webp', 'avif']).default('jpeg'),
  quality: z.number().int().min(1).max(100).default(85),
});
export const CompressEstimateResponse = z.object({
  original_size_kb: z.number(),
  estimated_size_kb: z.number(),
  estimated_reduction_percent: z.number(),
  width: z.number().int(),
  height: z.number().int(),
  format: z.string(),
});

/** One entry of the original's `GET /compress/formats`. */
export const CompressionFormat = z
  .object({
    id: z.string(),
    name: z.string(),
    extension: z.string(),
    description: z.string(),
    supports_transparency: z.boolean(),
    quality_range: z.tuple([z.number().int(), z.number().int()]),
    recommended_quality: z.number().int(),
    use_cases: z.array(z.string()),
  })
  .meta({ id: 'CompressionFormat' });
export const CompressionFormatsResponse = z.object({ formats: z.array(CompressionFormat) });

/** One entry of the original's `GET /compress/presets`: settings to send to `POST /compress`. */
export const CompressionPreset = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    format: compressFormat,
    quality: quality,
    target_size_kb: z.number().int().optional(),
    strip_metadata: z.boolean(),
  })
  .meta({ id: 'CompressionPreset' });
export const CompressionPresetsResponse = z.object({ presets: z.array(CompressionPreset) });

/** One entry of the original's `GET /convert-format/supported`. */
export const ConvertibleFormat = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    supports_transparency: z.boolean(),
    supports_lossy: z.boolean(),
    mime_type: z.string(),
  })
  .meta({ id: 'ConvertibleFormat' });
export const SupportedFormatsResponse = z.object({ formats: z.array(ConvertibleFormat) });

export const FormatRecommendationsQuery = z.object({
  source_format: z.string().min(1).max(20).describe('The format converted from, e.g. png, jpeg, jpg.'),
});
export const FormatRecommendationsResponse = z.object({
  recommendations: z
    .array(z.object({ format: z.string(), reason: z.string() }))
    .describe('Best first; empty for a format with no recommendation (as the original).'),
});

export const SocialSavedCropsQuery = z.object({
  asset_id: CoercedId.describe('A source image in your library.'),
});

/** The crops last exported from a source, per format, to export the same again. */
export const SocialSavedCropsResponse = z.object({
  asset_id: z.number().int(),
  crops: z.array(
    SocialCropOverride.extend({
      format_id: z.string(),
      output_asset_id: z.number().int(),
      saved_at: z.string(),
    }),
  ),
});
