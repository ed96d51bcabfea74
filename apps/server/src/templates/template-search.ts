import type { Template } from './template.types.ts';
import { tokenize, tokenScore } from './text-match.ts';

/** How much a match in each field counts: a name match beats a description match. */
const FIELD_WEIGHTS = {
  name: 5,
  platform: 4,
  use_cases: 3,
  category: 2,
  style: 1.5,
  description: 1,
} as const;
type Field = keyof typeof FIELD_WEIGHTS;

interface IndexedTemplate {
  template: Template;
  fields: Record<Field, string[]>;
}

export interface ScoredTemplate {
  template: Template;
  score: number;
}

function index(template: Template): IndexedTemplate {
  return {
    template,
    fields: {
      name: tokenize(template.name),
      platform: tokenize(template.platform === 'twitter' ? 'twitter x' : template.platform),
      use_cases: tokenize(template.use_cases.join(' ')),
      category: tokenize(template.category.replace('_', ' ')),
      style: tokenize(`${template.style_preset} ${template.quality}`),
      description: tokenize(template.description),
    },
  };
}

function bestMatch(token: string, entry: IndexedTemplate): number {
  let best = 0;
  for (const field of Object.keys(FIELD_WEIGHTS) as Field[]) {
    for (const docToken of entry.fields[field]) {
      best = Math.max(best, tokenScore(token, docToken) * FIELD_WEIGHTS[field]);
    }
  }
  return best;
}

export class TemplateSearch {
  private readonly entries: IndexedTemplate[];

  constructor(templates: readonly Template[]) {
    this.entries = templates.map(index);
  }

  /**
   * Every query token must match some field (exactly, as a prefix, a plural or within a typo);
   * results are ranked by the summed field weights, ties kept in catalogue order.
   */
  search(query: string): ScoredTemplate[] {
    const tokens = tokenize(query);
    if (tokens.length === 0) {
      return [];
    }
    const scored: ScoredTemplate[] = [];
    for (const entry of this.entries) {
      let score = 0;
      let all = true;
      for (const token of tokens) {
        const s = bestMatch(token, entry);
        if (s === 0) {
          all = false;
          break;
        }
        score += s;
      }
      if (all) {
        scored.push({ template: entry.template, score });
      }
    }
    return scored.sort((a, b) => b.score - a.score);
  }

  /**
   * Templates for a use case (and optionally a platform), best first: the share of the use case's
   * words found in the template's use cases counts most, then its name and description.
   */
  recommend(useCase: string, platform?: string): ScoredTemplate[] {
    const tokens = tokenize(useCase);
    const scored: ScoredTemplate[] = [];
    for (const entry of this.entries) {
      if (platform && entry.template.platform !== platform) {
        continue;
      }
      let score = 0;
      let matched = 0;
      for (const token of tokens) {
        const useCaseHit = Math.max(0, ...entry.fields.use_cases.map((d) => tokenScore(token, d)));
        const otherHit = Math.max(
          0,
          ...[...entry.fields.name, ...entry.fields.category, ...entry.fields.description].map((d) =>
            tokenScore(token, d),
          ),
        );
        if (useCaseHit > 0 || otherHit > 0) {
          matched++;
        }
        score += useCaseHit * 3 + otherHit;
      }
      if (tokens.length === 0 || matched === 0) {
        continue;
      }
      const coverage = matched / tokens.length;
      scored.push({ template: entry.template, score: Math.round(score * coverage * 100) / 100 });
    }
    return scored.sort((a, b) => b.score - a.score);
  }
}
