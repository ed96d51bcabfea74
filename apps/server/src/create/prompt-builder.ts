import type { Persona } from '@studio/contracts';
import type { Template } from '../templates/template.types.ts';
import { isStylePreset, STYLE_PRESETS } from './style-presets.ts';

export interface PromptInput {
  prompt: string;
  negativePrompt?: string | null;
  stylePreset?: string | null;
  enhance: boolean;
  template?: Template;
  persona?: Persona;
}

export interface BuiltPrompt {
  /** The exact text sent to the provider (shown to the user as `enhanced_prompt`). */
  prompt: string;
  negativePrompt?: string;
  stylePreset?: string;
}

const joinList = (items: readonly string[]) => items.filter((s) => s.trim().length > 0).join(', ');

/**
 * Builds the prompt a provider receives. The user's words always come first and are never
 * rewritten; enhancement adds the template's composition scaffold and the style's words; a persona
 * adds the brand's tone, look and colours, and its "avoid" list joins the negative prompt.
 */
export function buildPrompt(input: PromptInput): BuiltPrompt {
  const userPrompt = input.prompt.trim();
  const parts: string[] = [];
  if (input.enhance && input.template) {
    parts.push(input.template.prompt_scaffold.replace('{prompt}', userPrompt));
  } else {
    parts.push(userPrompt);
  }
  const style = input.stylePreset ?? input.template?.style_preset ?? undefined;
  if (input.enhance && style && isStylePreset(style)) {
    parts.push(STYLE_PRESETS[style]);
  }
  const persona = input.persona;
  if (persona) {
    const brand = persona.brand ? `for the brand ${persona.brand}` : `in the ${persona.name} brand style`;
    const personaParts = [
      brand,
      persona.tone ? `tone: ${persona.tone}` : '',
      persona.style_keywords.length > 0 ? `look: ${joinList(persona.style_keywords)}` : '',
      persona.colors.length > 0 ? `colour palette ${joinList(persona.colors)}` : '',
    ];
    parts.push(joinList(personaParts));
  }

  const negatives = [
    input.negativePrompt ?? '',
    input.enhance ? (input.template?.negative_prompt ?? '') : '',
    ...(persona?.avoid ?? []),
  ];
  const negativePrompt = joinList(negatives);
  return {
    prompt: parts.join(', '),
    ...(negativePrompt ? { negativePrompt } : {}),
    ...(style ? { stylePreset: style } : {}),
  };
}
