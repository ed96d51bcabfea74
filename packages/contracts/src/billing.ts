import { z } from 'zod';
import { ProviderChoice } from './providers.ts';

export const PlanIdSchema = z.enum(['free', 'basic', 'pro', 'enterprise']);
const Quality = z.enum(['draft', 'standard', 'premium']);
const credits = z.number().describe('Credits (1 credit = US$0.01); fractional for sub-cent prices.');

/** The original's `CostEstimationRequest`, extended to every operation and to the quality level. */
export const EstimateCostBody = z.object({
  provider: ProviderChoice.default('auto'),
  model: z.string().trim().min(1).max(200).nullish(),
  operation: z
    .string()
    .trim()
    .max(100)
    .default('generate')
    .describe(
      '`generate`/`create`, `edit.<op>`, `upscale.<mode>`, `control.<op>`, `social.optimize` or `process.<op>`.',
    ),
  num_images: z.number().int().min(1).max(100).default(1),
  width: z.number().int().min(1).max(65_536).nullish(),
  height: z.number().int().min(1).max(65_536).nullish(),
  quality: Quality.default('standard'),
  with_reference: z
    .boolean()
    .optional()
    .describe(
      'Create with a reference image (image-to-image): price the model that takes one, as the job will choose it.',
    ),
});
export type EstimateCostBody = z.infer<typeof EstimateCostBody>;

export const BreakdownLine = z.object({
  label: z.string(),
  provider: z.string(),
  model: z.string().nullable(),
  operation: z.string(),
  size_tier: z.string().nullable(),
  quantity: z.number().int(),
  credits_each: credits,
  credits,
});

export const CostEstimate = z
  .object({
    provider: z.string(),
    model: z.string().nullable(),
    operation: z.string(),
    quality: Quality,
    num_images: z.number().int(),
    resolution: z.string().describe('"WxH", or "default" when no size was given.'),
    cost_per_image: z.number().describe('US dollars.'),
    total_cost: z.number().describe('US dollars.'),
    currency: z.literal('USD'),
    estimated: z.literal(true),
    credits_per_image: credits,
    total_credits: credits,
    breakdown: z.array(BreakdownLine),
    auto: z
      .object({ provider: z.string(), model: z.string() })
      .nullable()
      .describe('What `provider: "auto"` would pick for this operation and quality right now.'),
    balance: credits,
    can_afford: z.boolean(),
    within_plan: z.boolean().describe('Whether the plan allows this provider, batch size and output size.'),
  })
  .meta({ id: 'CostEstimate' });
export type CostEstimate = z.infer<typeof CostEstimate>;

export const Plan = z
  .object({
    id: PlanIdSchema,
    label: z.string(),
    monthly_credits: credits,
    max_variations: z.number().int(),
    max_side: z.number().int().describe('Longest output side in pixels.'),
    providers: z.array(z.string()),
    jobs_per_minute: z.number().int(),
    storage_bytes: z.number().int().describe('Bytes of images an account may keep (trash included).'),
  })
  .meta({ id: 'Plan' });
export type Plan = z.infer<typeof Plan>;

export const PlanList = z.object({ plans: z.array(Plan) });

export const StorageUsage = z
  .object({
    used_bytes: z
      .number()
      .int()
      .describe('Bytes of your images, trash included; identical images are counted once.'),
    limit_bytes: z
      .number()
      .int()
      .describe('Your storage quota: the plan’s, unless the server sets one for everyone.'),
  })
  .meta({ id: 'StorageUsage' });
export type StorageUsage = z.infer<typeof StorageUsage>;

export const CreditsSummary = z
  .object({
    user_id: z.number().int(),
    balance: credits,
    plan: Plan,
    period: z.string().describe('Calendar month (UTC), `YYYY-MM`.'),
    monthly_allowance: credits,
    used_this_month: credits.describe('Credits charged for jobs finished this month.'),
    reserved: credits.describe('Credits held by jobs still running.'),
    storage: StorageUsage,
  })
  .meta({ id: 'CreditsSummary' });
export type CreditsSummary = z.infer<typeof CreditsSummary>;

export const LedgerKindSchema = z.enum([
  'grant',
  'monthly_allowance',
  'reserve',
  'capture',
  'release',
  'refund',
]);

export const LedgerEntry = z
  .object({
    id: z.number().int(),
    kind: LedgerKindSchema,
    amount: credits.describe('Signed change of the balance.'),
    balance_after: credits,
    job_id: z.string().nullable(),
    note: z.string().nullable(),
    created_at: z.string(),
  })
  .meta({ id: 'LedgerEntry' });
export type LedgerEntry = z.infer<typeof LedgerEntry>;

export const HistoryQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  page_size: z.coerce.number().int().min(1).max(200).default(50),
});

export const CreditHistory = z.object({
  items: z.array(LedgerEntry),
  page: z.number().int(),
  page_size: z.number().int(),
  total: z.number().int(),
});
export type CreditHistory = z.infer<typeof CreditHistory>;

export const SetPlanBody = z.object({ plan: PlanIdSchema });

export const GrantCreditsBody = z.object({
  amount: z
    .number()
    .min(-10_000_000, 'Amount is too large.')
    .max(10_000_000, 'Amount is too large.')
    .refine((v) => v !== 0, 'Amount must not be zero.')
    .describe('Credits to add; negative to take back (never below a zero balance).'),
  reason: z.string().trim().min(1).max(500),
  idempotency_key: z.string().trim().min(1).max(200).optional(),
});
