import { z } from 'zod';

/** The one list of providers: every enum of provider ids, on the server and the web, derives from it. */
export const CLOUD_PROVIDERS = ['stability', 'wavespeed', 'huggingface', 'gemini'] as const;
export const CloudProviderName = z.enum(CLOUD_PROVIDERS);
export const ProviderName = z.enum([...CLOUD_PROVIDERS, 'local']);
/** What a request may name: a provider, or `auto` to let the studio choose. */
export const ProviderChoice = z.enum(['auto', ...ProviderName.options]);
export const ProviderKeyParams = z.object({ provider: CloudProviderName });

export const ProviderKeyInput = z.object({
  api_key: z
    .string()
    .trim()
    .min(8)
    .max(512)
    .describe('The provider API key; stored encrypted, never returned.'),
});
export const ProviderKeyTestInput = z
  .object({
    api_key: z.string().trim().min(8).max(512).optional().describe('Test this key instead of the saved one.'),
  })
  .default({});

export const ProviderKeyStatus = z
  .object({
    provider: CloudProviderName,
    configured: z.boolean().describe('You saved a key of your own for this provider.'),
    last4: z
      .string()
      .nullable()
      .describe('Last four characters of your key; the key itself is never returned.'),
    updated_at: z.string().nullable(),
    last_test: z.object({ at: z.string(), ok: z.boolean(), message: z.string().nullable() }).nullable(),
    server_key: z.boolean().describe('The server has its own key, used when you have none.'),
  })
  .meta({ id: 'ProviderKeyStatus' });
export const ProviderKeyList = z.object({ keys: z.array(ProviderKeyStatus) });

export const ProviderKeyTestResult = z.object({
  provider: CloudProviderName,
  ok: z.boolean(),
  key_source: z.enum(['request', 'user', 'server']),
  code: z.string().nullable().describe('Error code when the test failed, e.g. provider_auth.'),
  message: z.string(),
});

const Size = z.object({ width: z.number(), height: z.number() });
const Sizing = z.union([
  z.object({
    kind: z.literal('aspect_ratio'),
    ratios: z.record(z.string(), Size),
    scales: z.record(z.string(), z.number()).optional(),
  }),
  z.object({
    kind: z.literal('free'),
    minSide: z.number(),
    maxSide: z.number(),
    multipleOf: z.number(),
    maxPixels: z.number().optional(),
  }),
  z.object({
    kind: z.literal('input'),
    factor: z.number().optional(),
    maxOutputPixels: z.number().optional(),
  }),
]);

export const ProviderModelInfo = z.object({
  id: z.string(),
  label: z.string(),
  operations: z.array(z.string()),
  tier: z.enum(['draft', 'standard', 'premium']),
  sizing: Sizing,
  input_limits: z
    .object({
      minSide: z.number().optional(),
      maxSide: z.number().optional(),
      minPixels: z.number().optional(),
      maxPixels: z.number().optional(),
      minAspect: z.number().optional(),
      maxAspect: z.number().optional(),
    })
    .nullable()
    .describe('Rules the provider enforces on an input image.'),
  prompt_max_length: z.number().nullable(),
  supports: z.object({
    negativePrompt: z.boolean().optional(),
    seed: z.boolean().optional(),
    stylePreset: z.boolean().optional(),
    guidance: z.boolean().optional(),
    steps: z.boolean().optional(),
    mask: z.boolean().optional(),
    referenceImages: z.number().optional(),
    imageToImage: z.boolean().optional().describe('Create takes a reference image with a strength.'),
  }),
  credits: z.number().describe('Credits per image (1 credit = US$0.01).'),
  credits_by_size_tier: z.record(z.string(), z.number()).nullable(),
  price_source: z.string(),
  note: z.string().nullable(),
});

export const ProviderInfo = z
  .object({
    id: ProviderName,
    label: z.string(),
    kind: z.enum(['ai', 'layout']).describe('`layout`: the local renderer typesets a design; it is not AI.'),
    verified: z.string().describe('Date the catalogue was checked against the provider documentation.'),
    available: z.boolean().describe('Usable by you right now (a key is configured).'),
    key_source: z.enum(['user', 'server', 'none']),
    healthy: z.boolean().describe('False while the circuit breaker is open after repeated failures.'),
    reason: z.string().nullable().describe('Why it is unavailable or unhealthy.'),
    capabilities: z.array(z.string()),
    cost_range: z.string().describe('Price span of its models, e.g. "3–8 credits per image".'),
    max_resolution: z
      .object({ width: z.number(), height: z.number() })
      .nullable()
      .describe('Largest size it generates; edits and upscales follow their input.'),
    models: z.array(ProviderModelInfo),
  })
  .meta({ id: 'ProviderInfo' });
export const ProviderListResponse = z.object({ providers: z.array(ProviderInfo) });
