import type { ProviderCatalogue } from '../types.ts';

/** The always-available local provider. Its `create` is a typeset layout, not an AI image. */
export const localCatalogue: ProviderCatalogue = {
  provider: 'local',
  label: 'Local layout (offline)',
  verified: '2026-11-25',
  kind: 'layout',
  // The local renderer is CPU-bound on this machine's cores.
  concurrency: 2,
  models: [
    {
      id: 'layout',
      label: 'Design layout (headline over a generated background)',
      operations: ['create'],
      tier: 'draft',
      sizing: { kind: 'free', minSide: 16, maxSide: 4096, multipleOf: 1, maxPixels: 16_777_216 },
      promptMaxLength: 2000,
      supports: { seed: true, stylePreset: true },
      price: { credits: 0, source: 'runs on this server' },
      note: 'Renders a layout from the prompt with real fonts; it is not an AI-generated image.',
    },
  ],
};
