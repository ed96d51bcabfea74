import { z } from 'zod';
import { Id, Text } from './common.ts';
import { StudioImageResponse, StudioOutputFormat } from './edit.ts';
import { ProviderChoice } from './providers.ts';

export const UpscaleMode = z.enum(['fast', 'conservative', 'creative', 'auto']);
export const UpscalePreset = z.enum(['web', 'print', 'social']);

/** POST /api/image-studio/upscale: the original's fields; presets and target sizes are hit exactly. */
export const UpscaleImageRequest = z.object({
  image_base64: z.string().min(1).max(70_000_000).optional(),
  asset_id: Id.optional(),
  mode: UpscaleMode.default('auto'),
  preset: UpscalePreset.nullish().describe(
    'web = 2048 px long side, print = 3072 px (or dpi × inches), social = 1080 px.',
  ),
  target_width: z.number().int().min(16).max(16384).nullish(),
  target_height: z.number().int().min(16).max(16384).nullish(),
  dpi: z
    .number()
    .int()
    .min(72)
    .max(1200)
    .nullish()
    .describe('print: dots per inch for print_width_in/print_height_in.'),
  print_width_in: z.number().positive().max(100).nullish(),
  print_height_in: z.number().positive().max(100).nullish(),
  prompt: Text().trim().max(10_000).nullish(),
  negative_prompt: Text().max(10_000).nullish(),
  creativity: z.number().min(0.1).max(0.5).nullish(),
  seed: z.number().int().min(0).max(4_294_967_294).nullish(),
  provider: ProviderChoice.extract(['auto', 'local', 'stability']).nullish(),
  output_format: StudioOutputFormat.default('png'),
  async: z.boolean().default(false),
});
export type UpscaleImageRequest = z.infer<typeof UpscaleImageRequest>;

export const UpscaleImageResponse = StudioImageResponse.extend({
  mode: z.enum(['fast', 'conservative', 'creative']).describe('The mode that ran (auto resolved).'),
}).meta({ id: 'UpscaleImageResponse' });

/** The `upscale` job's input as its row stores it: the mode already resolved, the exact target fixed. */
export const UpscaleJobInput = z.object({
  inputAssetId: Id,
  mode: UpscaleMode.exclude(['auto']),
  route: z.enum(['local', 'cloud']),
  /** Why `auto` chose this mode and route; absent when the caller chose. */
  autoReason: z.string().optional(),
  target: z.object({
    width: z.number().int().positive(),
    height: z.number().int().positive(),
    source: z.string().describe('How the size was decided, for the response metadata.'),
  }),
  preset: UpscalePreset.optional(),
  prompt: z.string().optional(),
  negativePrompt: z.string().optional(),
  creativity: z.number().optional(),
  seed: z.number().int().optional(),
  outputFormat: StudioOutputFormat,
});
export type UpscaleJobInput = z.infer<typeof UpscaleJobInput>;
