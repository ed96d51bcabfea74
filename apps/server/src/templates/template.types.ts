import type { ProviderId, Quality } from '../providers/types.ts';

export const TEMPLATE_PLATFORMS = [
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
] as const;
export type TemplatePlatform = (typeof TEMPLATE_PLATFORMS)[number];

export const TEMPLATE_CATEGORIES = [
  'social_media',
  'blog_content',
  'ad_creative',
  'product',
  'brand_assets',
  'email_marketing',
] as const;
export type TemplateCategory = (typeof TEMPLATE_CATEGORIES)[number];

/** Style presets the prompt builder knows (Stability's names; other providers get them as words). */
export type StylePreset = 'photographic' | 'digital-art' | 'cinematic' | '3d-model' | 'anime' | 'line-art';

export interface Template {
  id: string;
  name: string;
  description: string;
  platform: TemplatePlatform;
  category: TemplateCategory;
  width: number;
  height: number;
  /** Ratio label that matches the pixels (the original labelled several wrongly). */
  ratio: string;
  /** Human label of the shape, e.g. "Square", "Story/Reel". */
  label: string;
  style_preset: StylePreset;
  quality: Quality;
  use_cases: readonly string[];
  /** `{prompt}` is replaced by the user's words; the rest steers composition for the format. */
  prompt_scaffold: string;
  negative_prompt: string;
  recommended_provider: Exclude<ProviderId, 'local'>;
  recommended_model: string;
  /** Social Optimizer format this template is sized from, when there is one. */
  format_id?: string;
}
