import type { TemplateDto } from '@studio/contracts';
import type { ProviderId, Quality } from '../providers/types.ts';

/** The API's enums are the one definition (packages/contracts/src/templates.ts). */
export type TemplatePlatform = TemplateDto['platform'];
export type TemplateCategory = TemplateDto['category'];

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
