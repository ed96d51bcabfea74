import { z } from 'zod';
import { Id, Text } from './common.ts';
import { ProviderChoice } from './providers.ts';

export const EDIT_OPERATIONS = [
  'remove_background',
  'inpaint',
  'outpaint',
  'erase',
  'search_replace',
  'search_recolor',
  'general_edit',
  'relight',
  'replace_background',
] as const;
export const EditOperation = z.enum(EDIT_OPERATIONS);
export type EditOperation = z.infer<typeof EditOperation>;

export const StudioOutputFormat = z.enum(['png', 'jpeg', 'webp']);

const base64Image = z.string().min(1).max(70_000_000);
const expand = z
  .number()
  .int()
  .min(0)
  .max(2000)
  .nullish()
  .describe('Outpaint pixels on this side (default 0).');

/** POST /api/image-studio/edit: the original's EditImageRequest (all operations reachable), plus asset inputs. */
export const EditImageRequest = z.object({
  image_base64: base64Image.optional().describe('Base64 or data URL; or send asset_id.'),
  asset_id: Id.optional().describe('One of your assets as the input image.'),
  operation: EditOperation,
  prompt: Text().trim().max(10_000).nullish(),
  negative_prompt: Text().max(10_000).nullish(),
  mask_base64: base64Image.nullish().describe('Any size (resized to the image); white = edit.'),
  mask_asset_id: Id.nullish(),
  search_prompt: Text().trim().max(10_000).nullish(),
  select_prompt: Text().trim().max(10_000).nullish(),
  background_image_base64: base64Image.nullish(),
  lighting_image_base64: base64Image.nullish(),
  expand_left: expand,
  expand_right: expand,
  expand_up: expand,
  expand_down: expand,
  provider: ProviderChoice.nullish(),
  model: Text().max(200).nullish(),
  style_preset: Text().max(50).nullish(),
  guidance_scale: z.number().min(0).max(35).nullish(),
  steps: z.number().int().min(1).max(150).nullish(),
  seed: z.number().int().min(0).max(4_294_967_294).nullish(),
  output_format: StudioOutputFormat.default('png'),
  options: z
    .object({
      grow_mask: z.number().int().min(0).max(100).optional().describe('Pixels to grow the mask by.'),
      feather: z.number().min(0).max(100).optional().describe('Soft mask edge radius in pixels.'),
      background_color: Text().max(50).optional().describe('replace_background: CSS name or hex.'),
      blur_radius: z.number().min(1).max(200).optional().describe('replace_background: blurred copy.'),
      light_direction: z
        .enum(['left', 'right', 'above', 'below'])
        .optional()
        .describe('relight: where the new light comes from.'),
      light_strength: z
        .number()
        .min(0)
        .max(1)
        .optional()
        .describe('relight: strength of that light (with light_direction or a lighting image).'),
      preserve_subject: z
        .number()
        .min(0)
        .max(1)
        .optional()
        .describe('relight: how closely the subject keeps its pixels (1 = exactly).'),
    })
    .nullish(),
  async: z.boolean().default(false).describe('Return the job at once instead of waiting for the image.'),
});
export type EditImageRequest = z.infer<typeof EditImageRequest>;

/** Stable codes of what a local run left out of the request (rules/edit-routing.ts `localNotices`). */
export const EDIT_NOTICE_CODES = ['prompt_ignored_local', 'select_prompt_ignored_local'] as const;
export type EditNoticeCode = (typeof EDIT_NOTICE_CODES)[number];

/** Something the run did not do as asked, for the user: e.g. a prompt a local fill did not use. */
export const ResultNotice = z
  .object({
    code: z.enum(EDIT_NOTICE_CODES).describe('Stable: prompt_ignored_local, select_prompt_ignored_local.'),
    message: z.string(),
  })
  .meta({ id: 'ResultNotice' });
export type ResultNotice = z.infer<typeof ResultNotice>;

/** The seed's response (image_base64 as a data URL, width, height, metadata) plus the library asset and job. */
export const StudioImageResponse = z.object({
  success: z.literal(true),
  operation: z.string(),
  provider: z.string(),
  model: z.string().nullable(),
  image_base64: z.string().describe('data:image/<format>;base64,…'),
  width: z.number().int(),
  height: z.number().int(),
  metadata: z.record(z.string(), z.unknown()),
  asset_id: z.number().int(),
  input_asset_id: z.number().int(),
  file_url: z.string(),
  url: z.string(),
  thumbnail_url: z.string(),
  job_id: z.string(),
  cost_credits: z.number(),
  notices: z.array(ResultNotice).describe('What the run left out of the request (empty when nothing).'),
});
export type StudioImageResponse = z.infer<typeof StudioImageResponse>;
export const EditImageResponse = StudioImageResponse.meta({ id: 'EditImageResponse' });

export const OperationProvider = z.object({
  provider: z.string(),
  model: z.string().nullable(),
  available: z.boolean(),
  reason: z.string().optional(),
  async: z.boolean(),
  price_credits: z.number(),
  when: z.string().optional(),
});

export const EditOperationsResponse = z
  .object({
    operations: z.record(
      z.string(),
      z.object({
        label: z.string(),
        description: z.string(),
        provider: z.string(),
        async: z.boolean(),
        fields: z.record(z.string(), z.boolean()),
        required: z.array(z.string()),
        providers: z.array(OperationProvider),
        available: z.boolean(),
        price_credits: z.number().describe('Cheapest way available to you now (0 = runs on this server).'),
      }),
    ),
  })
  .meta({ id: 'EditOperationsResponse' });

const JobRoute = z.enum(['local', 'cloud']);

/** The `edit` job's input as its row stores it: images are asset ids stored before the job, never bytes. */
export const EditJobInput = z.object({
  operation: EditOperation,
  route: JobRoute,
  inputAssetId: Id,
  maskAssetId: Id.optional(),
  backgroundAssetId: Id.optional(),
  lightingAssetId: Id.optional(),
  prompt: z.string().optional(),
  negativePrompt: z.string().optional(),
  searchPrompt: z.string().optional(),
  selectPrompt: z.string().optional(),
  expand: z.object({
    left: z.number().int().min(0),
    right: z.number().int().min(0),
    up: z.number().int().min(0),
    down: z.number().int().min(0),
  }),
  provider: ProviderChoice.optional(),
  model: z.string().optional(),
  stylePreset: z.string().optional(),
  guidance: z.number().optional(),
  steps: z.number().int().optional(),
  seed: z.number().int().optional(),
  outputFormat: StudioOutputFormat,
  growMask: z.number().int().min(0).optional(),
  feather: z.number().min(0).optional(),
  backgroundColor: z.string().optional(),
  blurRadius: z.number().positive().optional(),
  lightDirection: z.enum(['left', 'right', 'above', 'below']).optional(),
  lightStrength: z.number().min(0).max(1).optional(),
  preserveSubject: z.number().min(0).max(1).optional(),
});
export type EditJobInput = z.infer<typeof EditJobInput>;

/** What an edit, upscale or control job returns: the saved asset and how it was made (the image is the asset). */
export const StudioJobResult = z
  .object({
    asset_id: z.number().int(),
    input_asset_id: z.number().int(),
    operation: z.string(),
    provider: z.string(),
    model: z.string().nullable(),
    width: z.number().int(),
    height: z.number().int(),
    mime: z.string(),
    cost_credits: z.number(),
    metadata: z.record(z.string(), z.unknown()),
    notices: z
      .array(ResultNotice)
      .optional()
      .describe('What the run left out of the request, e.g. a prompt a local fill did not use.'),
  })
  .meta({ id: 'StudioJobResult' });
export type StudioJobResult = z.infer<typeof StudioJobResult>;
