import { z } from 'zod';

export const TemplatePlatform = z.enum([
  'instagram',
  'facebook',
  'twitter',
  'linkedin',
  'youtube',
  'pinterest',
  'tiktok',
  'blog',
  'email',
  'website',
]);
export const TemplateCategory = z.enum([
  'social_media',
  'blog_content',
  'ad_creative',
  'product',
  'brand_assets',
  'email_marketing',
]);
export const QualityLevel = z.enum(['draft', 'standard', 'premium']);

export const TemplateDto = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    category: TemplateCategory,
    platform: TemplatePlatform,
    aspect_ratio: z.object({
      ratio: z.string(),
      width: z.number().int(),
      height: z.number().int(),
      label: z.string(),
    }),
    width: z.number().int(),
    height: z.number().int(),
    style_preset: z.string(),
    quality: QualityLevel,
    use_cases: z.array(z.string()),
    prompt_scaffold: z.string(),
    negative_prompt: z.string(),
    recommended_provider: z.string(),
    recommended_model: z.string(),
    format_id: z.string().nullable().describe('Social Optimizer format this template is sized from.'),
    score: z.number().optional().describe('Relevance, on search and recommend results.'),
  })
  .meta({ id: 'Template' });
export type TemplateDto = z.infer<typeof TemplateDto>;

export const TemplateListQuery = z.object({
  platform: TemplatePlatform.optional(),
  category: TemplateCategory.optional(),
  quality: QualityLevel.optional(),
});
export const TemplateSearchQuery = z.object({ query: z.string().trim().min(1).max(200) });
export const TemplateRecommendQuery = z.object({
  use_case: z.string().trim().min(1).max(200),
  platform: TemplatePlatform.optional(),
  limit: z.coerce.number().int().min(1).max(50).default(10),
});

export const TemplateList = z.object({ templates: z.array(TemplateDto), total: z.number().int() });
export const TemplateSearchResult = TemplateList.extend({ query: z.string() });
export const TemplateRecommendResult = TemplateList.extend({ use_case: z.string() });
