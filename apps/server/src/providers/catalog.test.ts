import { describe, expect, it } from 'vitest';
import { CATALOGUES, priceFor } from './catalog.ts';
import { OPERATIONS } from './types.ts';

describe('catalogue', () => {
  it('prices known models in credits (1 credit = US$0.01)', () => {
    expect(priceFor('stability', 'ultra', 'create')).toBe(8);
    expect(priceFor('stability', 'sd3.5-large', 'create')).toBe(6.5);
    expect(priceFor('stability', 'upscale-creative', 'upscale.creative')).toBe(25);
    expect(priceFor('wavespeed', 'ideogram-ai/ideogram-v3-turbo', 'create')).toBe(3);
    expect(priceFor('gemini', 'gemini-2.5-flash-image', 'create')).toBe(3.9);
    expect(priceFor('local', 'layout', 'create')).toBe(0);
  });

  it('prices by size tier when the provider bills by output size', () => {
    expect(priceFor('gemini', 'gemini-3-pro-image', 'create')).toBe(13.4);
    expect(priceFor('gemini', 'gemini-3-pro-image', 'create', undefined, { width: 4000, height: 4000 })).toBe(
      24,
    );
  });

  it('refuses operations a model does not do and unknown models', () => {
    expect(priceFor('stability', 'ultra', 'edit.erase')).toBeUndefined();
    expect(priceFor('stability', 'nope', 'create')).toBeUndefined();
  });

  it('uses only known operations, a verified date and non-negative prices', () => {
    for (const cat of Object.values(CATALOGUES)) {
      expect(cat.verified).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      for (const m of cat.models) {
        for (const op of m.operations) expect(OPERATIONS).toContain(op);
        expect(m.price.credits).toBeGreaterThanOrEqual(0);
      }
    }
  });
});
