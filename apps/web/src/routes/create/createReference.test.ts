import { describe, expect, it } from 'vitest';
import { geminiCatalogue } from '../../../../server/src/providers/gemini/catalog.ts';
import { stabilityCatalogue } from '../../../../server/src/providers/stability/catalog.ts';
import type { ProviderCatalogue } from '../../../../server/src/providers/types.ts';
import { takesReference } from './createReference.ts';

/** The listing's shape for what takesReference reads, from the server's real catalogues. */
const listed = (c: ProviderCatalogue, available: boolean) => ({
  id: c.provider,
  available,
  models: c.models.map((m) => ({ id: m.id, operations: [...m.operations], supports: m.supports })),
});

describe('reference image offer', () => {
  const both = [listed(stabilityCatalogue, true), listed(geminiCatalogue(false), true)];

  it('follows the chosen provider and model', () => {
    expect(takesReference(both, 'stability', null)).toBe(true);
    expect(takesReference(both, 'stability', 'sd3.5-large')).toBe(true);
    expect(takesReference(both, 'stability', 'ultra')).toBe(true);
    expect(takesReference(both, 'stability', 'core')).toBe(false);
    expect(takesReference(both, 'gemini', null)).toBe(false);
    expect(takesReference(both, 'local', null)).toBe(false);
  });

  it('auto offers it only when a usable provider takes one', () => {
    expect(takesReference(both, 'auto', null)).toBe(true);
    expect(
      takesReference([listed(stabilityCatalogue, false), listed(geminiCatalogue(false), true)], 'auto', null),
    ).toBe(false);
  });
});
