import type { ProviderCatalogue } from '../types.ts';

/**
 * Hugging Face Inference (hf-inference, FLUX.1). HF bills compute time, not images; no per-image price
 * is published, so the credits below are our estimate [U] and should be watched against real bills.
 */
const FLUX_SIZE = { kind: 'free', minSide: 256, maxSide: 1440, multipleOf: 16 } as const;

export const huggingfaceCatalogue: ProviderCatalogue = {
  provider: 'huggingface',
  label: 'Hugging Face',
  verified: '2026-11-01',
  kind: 'ai',
  concurrency: 2,
  models: [
    {
      id: 'black-forest-labs/FLUX.1-schnell',
      label: 'FLUX.1 schnell',
      operations: ['create'],
      tier: 'draft',
      sizing: FLUX_SIZE,
      supports: { seed: true, steps: true },
      price: { credits: 1, source: 'estimate: compute-time billing [U]' },
    },
    {
      id: 'black-forest-labs/FLUX.1-dev',
      label: 'FLUX.1 dev',
      operations: ['create'],
      tier: 'standard',
      sizing: FLUX_SIZE,
      supports: { seed: true, steps: true, guidance: true },
      price: { credits: 3, source: 'estimate: compute-time billing [U]' },
    },
  ],
};
