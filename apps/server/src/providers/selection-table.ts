import type { ProviderId, Quality } from './types.ts';

/**
 * `auto` preferences for `create`, best first, per quality level. Cheap fast models for drafts,
 * typography-strong and flagship models for premium. Every entry is tried only if the user has the
 * provider; later entries are the fallbacks. Other operations are ordered by tier and price (selection.ts).
 */
export const CREATE_PREFERENCES: Readonly<Record<Quality, ReadonlyArray<readonly [ProviderId, string]>>> = {
  draft: [
    ['wavespeed', 'wavespeed-ai/qwen-image/text-to-image'],
    ['huggingface', 'black-forest-labs/FLUX.1-schnell'],
    ['gemini', 'gemini-2.5-flash-image'],
    ['stability', 'core'],
    ['wavespeed', 'ideogram-ai/ideogram-v3-turbo'],
  ],
  standard: [
    ['wavespeed', 'wavespeed-ai/qwen-image/text-to-image-2512'],
    ['stability', 'core'],
    ['gemini', 'gemini-3.1-flash-image'],
    ['wavespeed', 'ideogram-ai/ideogram-v3-balanced'],
    ['huggingface', 'black-forest-labs/FLUX.1-dev'],
  ],
  premium: [
    ['wavespeed', 'ideogram-ai/ideogram-v3-quality'],
    ['stability', 'ultra'],
    ['gemini', 'gemini-3-pro-image'],
    ['stability', 'sd3.5-large'],
    ['huggingface', 'black-forest-labs/FLUX.1-dev'],
  ],
};

/** Template hints (a template's recommended provider or model family) → the candidates they favour. */
export const TEMPLATE_HINTS: Readonly<Record<string, (provider: ProviderId, model: string) => boolean>> = {
  ideogram: (_p, m) => m.startsWith('ideogram-ai/'),
  qwen: (_p, m) => m.includes('/qwen-image/'),
  flux: (_p, m) => m.includes('FLUX'),
  stability: (p) => p === 'stability',
  wavespeed: (p) => p === 'wavespeed',
  huggingface: (p) => p === 'huggingface',
  gemini: (p) => p === 'gemini',
  imagen: (_p, m) => m.startsWith('imagen-'),
};
