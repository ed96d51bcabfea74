import type { ModelSpec, ProviderCatalogue, Size } from '../types.ts';

/**
 * WaveSpeed AI (submit → poll). Prices from WaveSpeed model pages [D] (Qwen edit variants [U]).
 * Ideogram output sizes per aspect ratio are our estimate [U]; Qwen takes any `W*H` up to 1536.
 */
const IDEOGRAM_RATIOS: Record<string, Size> = {
  '1:1': { width: 1024, height: 1024 },
  '16:9': { width: 1312, height: 736 },
  '9:16': { width: 736, height: 1312 },
  '4:3': { width: 1152, height: 864 },
  '3:4': { width: 864, height: 1152 },
};
const QWEN_SIZE = { kind: 'free', minSide: 256, maxSide: 1536, multipleOf: 16 } as const;

const ideogram = (tier: ModelSpec['tier'], credits: number): ModelSpec => {
  const name = tier === 'draft' ? 'turbo' : tier === 'standard' ? 'balanced' : 'quality';
  return {
    id: `ideogram-ai/ideogram-v3-${name}`,
    label: `Ideogram V3 ${name[0]!.toUpperCase()}${name.slice(1)}`,
    operations: ['create'],
    tier,
    sizing: { kind: 'aspect_ratio', ratios: IDEOGRAM_RATIOS },
    supports: { referenceImages: 3 },
    price: { credits, source: 'wavespeed.ai model page [D]' },
    note: 'Strong at typography and layouts.',
  };
};

const qwenEdit = (suffix: string, label: string, refs: number): ModelSpec => ({
  id: `wavespeed-ai/qwen-image/${suffix}`,
  label,
  operations: ['edit.general_edit'],
  tier: 'draft',
  sizing: QWEN_SIZE,
  input: { minSide: 64 },
  supports: { seed: true, referenceImages: refs },
  price: { credits: 2, source: 'seed catalogue 0.02 USD [U]' },
});

export const wavespeedCatalogue: ProviderCatalogue = {
  provider: 'wavespeed',
  label: 'WaveSpeed AI',
  verified: '2026-11-01',
  kind: 'ai',
  concurrency: 4,
  models: [
    ideogram('draft', 3),
    ideogram('standard', 6),
    ideogram('premium', 9),
    {
      id: 'wavespeed-ai/qwen-image/text-to-image',
      label: 'Qwen Image',
      operations: ['create'],
      tier: 'draft',
      sizing: QWEN_SIZE,
      supports: { seed: true },
      price: { credits: 2, source: 'wavespeed.ai model page [D]' },
    },
    {
      id: 'wavespeed-ai/qwen-image/text-to-image-2512',
      label: 'Qwen Image 2512',
      operations: ['create'],
      tier: 'standard',
      sizing: QWEN_SIZE,
      supports: { seed: true },
      price: { credits: 2, source: 'wavespeed.ai llms.txt [O]' },
    },
    qwenEdit('edit', 'Qwen Image Edit', 1),
    qwenEdit('edit-plus', 'Qwen Image Edit Plus', 3),
    qwenEdit('edit-2511', 'Qwen Image Edit 2511', 3),
  ],
};

/** Models that take `size: "W*H"` rather than `aspect_ratio`. */
export const usesSizeField = (model: string) => model.startsWith('wavespeed-ai/qwen-image/');
/** Qwen edit variants that take `images: [...]` instead of a single `image`. */
export const usesImagesArray = (model: string) => /\/(edit-plus|edit-2511)$/.test(model);
