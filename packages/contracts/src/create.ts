import { z } from 'zod';
import { CoercedId, Text } from './common.ts';
import { waitingFields } from './job-waiting.ts';
import { ProviderChoice } from './providers.ts';
import { QualityLevel } from './templates.ts';

/** POST /api/image-studio/create: the original's fields, validated, plus async mode. */
export const CreateImageRequest = z.object({
  prompt: Text().trim().min(1, 'Describe the image you want.').max(10_000),
  template_id: Text().max(100).nullish(),
  provider: ProviderChoice.default('auto').describe(
    'auto picks by template, quality and which keys are configured.',
  ),
  model: Text().max(200).nullish(),
  width: z.number().int().min(64).max(8192).nullish(),
  height: z.number().int().min(64).max(8192).nullish(),
  aspect_ratio: z
    .string()
    .max(20)
    .regex(/^\d+(\.\d+)?:\d+(\.\d+)?$/, 'aspect_ratio is W:H, e.g. 16:9 or 1.91:1')
    .nullish(),
  style_preset: Text().max(50).nullish(),
  quality: QualityLevel.default('standard'),
  negative_prompt: Text().max(10_000).nullish(),
  guidance_scale: z.number().min(0).max(35).nullish(),
  steps: z.number().int().min(1).max(150).nullish(),
  seed: z.number().int().min(0).max(4_294_967_294).nullish().describe('Variation i uses seed + i.'),
  num_variations: z.number().int().min(1).max(10).default(1),
  enhance_prompt: z.boolean().default(true),
  use_persona: z.boolean().default(false),
  persona_id: CoercedId.nullish(),
  reference_image_base64: z
    .string()
    .min(1)
    .max(70_000_000)
    .nullish()
    .describe('Reference image (image-to-image), base64 or data URL; or send reference_asset_id.'),
  reference_asset_id: CoercedId.nullish().describe('One of your assets as the reference image.'),
  strength: z
    .number()
    .min(0)
    .max(1)
    .nullish()
    .describe('How far the result may move from the reference: 0 keeps it, 1 ignores it (default 0.5).'),
  async: z.boolean().default(false).describe('Return the job at once instead of waiting for the images.'),
});
export type CreateImageRequest = z.infer<typeof CreateImageRequest>;

export const CreateResultOk = z.object({
  variation: z.number().int(),
  image_base64: z.string().describe('Raw base64 (no data: prefix), as in the original API.'),
  width: z.number().int(),
  height: z.number().int(),
  provider: z.string(),
  model: z.string(),
  seed: z.number().int().nullable(),
  asset_id: z.number().int(),
  file_url: z.string(),
  thumbnail_url: z.string(),
  cost_credits: z.number(),
  metadata: z.record(z.string(), z.unknown()),
});
export const CreateResultError = z.object({
  variation: z.number().int(),
  error: z.string(),
  code: z.string(),
});
export const CreateResult = z.union([CreateResultOk, CreateResultError]);

export const CreateImageResponse = z
  .object({
    success: z.boolean(),
    job_id: z.string(),
    request: z.object({
      prompt: z.string(),
      enhanced_prompt: z.string().nullable(),
      negative_prompt: z.string().nullable(),
      template_id: z.string().nullable(),
      template_name: z.string().nullable(),
      provider: z.string(),
      model: z.string(),
      dimensions: z.string(),
      quality: QualityLevel,
      num_variations: z.number().int(),
      persona_id: z.number().int().nullable(),
    }),
    results: z.array(CreateResult),
    total_generated: z.number().int(),
    total_failed: z.number().int(),
    total_cost_credits: z.number(),
  })
  .meta({ id: 'CreateImageResponse' });
export type CreateImageResponse = z.infer<typeof CreateImageResponse>;

/** `async: true` answers at once with the job to follow (GET /api/jobs/{id}, or its events). */
export const JobAccepted = z
  .object({
    success: z.literal(true),
    job_id: z.string(),
    status: z.string(),
    status_url: z.string(),
    events_url: z.string(),
    ...waitingFields,
  })
  .meta({ id: 'JobAccepted' });

/** The `create` job's input as its row stores it: the request without `async`; a reference is stored first, by asset id. */
export const CreateJobInput = CreateImageRequest.omit({ async: true, reference_image_base64: true });
export type CreateJobInput = z.infer<typeof CreateJobInput>;

/** A saved variation in the job's result; the answer adds its bytes as image_base64. */
export const CreateVariationSaved = CreateResultOk.omit({ image_base64: true });
export type CreateVariationSaved = z.infer<typeof CreateVariationSaved>;
export const CreateVariationFailed = CreateResultError.extend({
  status: z.number().int().describe('HTTP status the error would have on its own.'),
});
export type CreateVariationFailed = z.infer<typeof CreateVariationFailed>;

/** What the `create` job returns (JSON in the job row; each image is an asset). */
export const CreateJobResult = z
  .object({
    request: CreateImageResponse.shape.request,
    results: z.array(z.union([CreateVariationSaved, CreateVariationFailed])),
    total_generated: z.number().int(),
    total_failed: z.number().int(),
    total_cost_credits: z.number(),
  })
  .meta({ id: 'CreateJobResult' });
export type CreateJobResult = z.infer<typeof CreateJobResult>;
