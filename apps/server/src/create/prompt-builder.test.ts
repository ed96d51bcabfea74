import type { Persona } from '@studio/contracts';
import { describe, expect, it } from 'vitest';
import { TEMPLATES } from '../templates/templates.data.ts';
import { buildPrompt } from './prompt-builder.ts';

const template = TEMPLATES.find((t) => t.id === 'product_packshot_white');
const persona: Persona = {
  id: 1,
  name: 'Acme',
  brand: 'Acme Coffee',
  tone: 'warm and optimistic',
  style_keywords: ['earthy', 'minimal'],
  colors: ['#6b3e26', '#f2e8dc'],
  avoid: ['plastic cups', 'clutter'],
  is_default: true,
  created_at: '',
  updated_at: '',
};

describe('buildPrompt', () => {
  it('keeps the user prompt verbatim when enhancement is off and nothing else applies', () => {
    expect(buildPrompt({ prompt: '  a red bicycle ', enhance: false })).toEqual({ prompt: 'a red bicycle' });
  });

  it('puts the user words inside the template scaffold and adds the style words', () => {
    const built = buildPrompt({ prompt: 'a ceramic mug', enhance: true, template });
    expect(built.prompt.startsWith('a ceramic mug, professional product packshot')).toBe(true);
    expect(built.prompt).toContain('natural lighting');
    expect(built.stylePreset).toBe('photographic');
    expect(built.negativePrompt).toContain('coloured background');
  });

  it('applies a persona: brand, tone, look and colours in the prompt, its avoid list in the negative prompt', () => {
    const built = buildPrompt({ prompt: 'latte art', enhance: false, persona, negativePrompt: 'text' });
    expect(built.prompt).toContain('for the brand Acme Coffee');
    expect(built.prompt).toContain('tone: warm and optimistic');
    expect(built.prompt).toContain('look: earthy, minimal');
    expect(built.prompt).toContain('#6b3e26');
    expect(built.negativePrompt).toBe('text, plastic cups, clutter');
  });

  it('ignores unknown style presets in the words but still reports them', () => {
    const built = buildPrompt({ prompt: 'x', enhance: true, stylePreset: 'made-up' });
    expect(built.prompt).toBe('x');
    expect(built.stylePreset).toBe('made-up');
  });
});
