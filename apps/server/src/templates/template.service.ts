import type { TemplateDto } from '@studio/contracts';
import { badRequest } from '../errors.ts';
import type { Template, TemplateCategory, TemplatePlatform } from './template.types.ts';
import { TemplateSearch } from './template-search.ts';
import { TEMPLATES } from './templates.data.ts';

export interface TemplateFilter {
  platform?: TemplatePlatform;
  category?: TemplateCategory;
  quality?: Template['quality'];
}

export class TemplateService {
  private readonly byId: Map<string, Template>;
  private readonly searcher: TemplateSearch;

  constructor(private readonly templates: readonly Template[] = TEMPLATES) {
    this.byId = new Map(templates.map((t) => [t.id, t]));
    this.searcher = new TemplateSearch(templates);
  }

  /** Unlike the original, platform and category filters combine instead of one ignoring the other. */
  list(filter: TemplateFilter = {}): TemplateDto[] {
    return this.templates
      .filter((t) => !filter.platform || t.platform === filter.platform)
      .filter((t) => !filter.category || t.category === filter.category)
      .filter((t) => !filter.quality || t.quality === filter.quality)
      .map((t) => toDto(t));
  }

  find(id: string): Template | undefined {
    return this.byId.get(id);
  }

  /** A template the caller named; 400 naming the unknown id, like the original. */
  require(id: string): Template {
    const t = this.byId.get(id);
    if (!t) {
      throw badRequest(`Template not found: ${id}`, { template_id: id });
    }
    return t;
  }

  search(query: string): TemplateDto[] {
    return this.searcher.search(query).map((s) => toDto(s.template, s.score));
  }

  recommend(useCase: string, platform?: TemplatePlatform, limit = 10): TemplateDto[] {
    return this.searcher
      .recommend(useCase, platform)
      .slice(0, limit)
      .map((s) => toDto(s.template, s.score));
  }
}

export function toDto(t: Template, score?: number): TemplateDto {
  return {
    id: t.id,
    name: t.name,
    description: t.description,
    category: t.category,
    platform: t.platform,
    aspect_ratio: { ratio: t.ratio, width: t.width, height: t.height, label: t.label },
    width: t.width,
    height: t.height,
    style_preset: t.style_preset,
    quality: t.quality,
    use_cases: [...t.use_cases],
    prompt_scaffold: t.prompt_scaffold,
    negative_prompt: t.negative_prompt,
    recommended_provider: t.recommended_provider,
    recommended_model: t.recommended_model,
    format_id: t.format_id ?? null,
    ...(score === undefined ? {} : { score }),
  };
}
