import { z } from 'zod';
import { Id, Text } from './common.ts';
import { OperationProvider, StudioOutputFormat } from './edit.ts';
import { ProviderChoice } from './providers.ts';

export const ControlOperation = z.enum(['sketch', 'structure', 'style', 'style_transfer']);
const slider = z.number().min(0).max(1).nullish();

/** POST /api/image-studio/control: the original's ControlImageRequest; an explicit 0 is kept. */
export const ControlImageRequest = z.object({
  control_image_base64: z.string().min(1).max(70_000_000).optional(),
  asset_id: Id.optional(),
  operation: ControlOperation,
  prompt: Text().trim().min(1, 'Describe the image you want.').max(10_000),
  style_image_base64: z.string().min(1).max(70_000_000).nullish(),
  style_asset_id: Id.nullish(),
  negative_prompt: Text().max(10_000).nullish(),
  control_strength: slider,
  fidelity: slider,
  style_strength: slider,
  composition_fidelity: slider,
  change_strength: slider,
  aspect_ratio: z.enum(['21:9', '16:9', '3:2', '5:4', '1:1', '4:5', '2:3', '9:16', '9:21']).nullish(),
  style_preset: Text().max(50).nullish(),
  seed: z.number().int().min(0).max(4_294_967_294).nullish(),
  provider: ProviderChoice.extract(['auto', 'stability']).nullish(),
  output_format: StudioOutputFormat.default('png'),
  async: z.boolean().default(false),
});
export type ControlImageRequest = z.infer<typeof ControlImageRequest>;

export const ControlOperationsResponse = z
  .object({
    operations: z.record(
      z.string(),
      z.object({
        label: z.string(),
        description: z.string(),
        provider: z.string(),
        fields: z.record(z.string(), z.boolean()),
        required: z.array(z.string()),
        defaults: z.record(z.string(), z.union([z.number(), z.string()])),
        providers: z.array(OperationProvider),
        available: z.boolean(),
        price_credits: z.number(),
      }),
    ),
  })
  .meta({ id: 'ControlOperationsResponse' });

/** The `control` job's input as its row stores it: images are asset ids stored before the job. */
export const ControlJobInput = z.object({
  operation: ControlOperation,
  inputAssetId: Id,
  styleAssetId: Id.optional(),
  prompt: z.string(),
  negativePrompt: z.string().optional(),
  controlStrength: z.number().optional(),
  fidelity: z.number().optional(),
  styleStrength: z.number().optional(),
  compositionFidelity: z.number().optional(),
  changeStrength: z.number().optional(),
  aspectRatio: z.string().optional(),
  stylePreset: z.string().optional(),
  seed: z.number().int().optional(),
  outputFormat: StudioOutputFormat,
});
export type ControlJobInput = z.infer<typeof ControlJobInput>;
