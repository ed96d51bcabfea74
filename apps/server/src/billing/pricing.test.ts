import { describe, expect, it } from 'vitest';
import { CATALOGUES, priceFor } from '../providers/catalog.ts';
import { nearestSize } from '../providers/sizing.ts';
import type { ModelSpec, ProviderId } from '../providers/types.ts';
import { chooseModel } from './auto-choice.ts';
import { toUnits } from './money.ts';
import { normalizeOperation } from './operations.ts';
import { quote, unitsForOutputs } from './pricing.ts';

/** Every (provider, model, operation) the price table knows. */
export function priceTable(): Array<{
  provider: ProviderId;
  model: ModelSpec;
  operation: ModelSpec['operations'][number];
}> {
  return Object.values(CATALOGUES).flatMap((cat) =>
    cat.models.flatMap((model) =>
      model.operations.map((operation) => ({ provider: cat.provider, model, operation })),
    ),
  );
}

const TARGETS = [
  { width: 1024, height: 1024 },
  { width: 1080, height: 1350 },
  { width: 3840, height: 2160 },
];

describe('pricing', () => {
  it('prices every operation in the table exactly as the charge for what the model then produces', () => {
    const rows = priceTable();
    expect(rows.length).toBeGreaterThan(20);
    for (const { provider, model, operation } of rows) {
      for (const target of TARGETS) {
        const estimate = quote({ provider, model: model.id, operation, count: 3, size: target });
        const produced = nearestSize(model, target);
        const charged = unitsForOutputs(
          Array.from({ length: 3 }, () => ({
            provider,
            model: model.id,
            operation,
            width: produced.width,
            height: produced.height,
          })),
        );
        const label = `${provider}/${model.id} ${operation} ${target.width}x${target.height}`;
        expect(charged, label).toBe(estimate.totalUnits);
        // The provider clients report costCredits with priceFor at the produced size: the same number.
        expect(toUnits(priceFor(provider, model.id, operation, undefined, produced) ?? -1), label).toBe(
          estimate.unitsPerImage,
        );
      }
    }
  });

  it('adds sub-credit prices exactly and shows the size tier in the breakdown', () => {
    const sd = quote({ provider: 'stability', model: 'sd3.5-large', operation: 'create', count: 3 });
    expect(sd.creditsPerImage).toBe(6.5);
    expect(sd.totalCredits).toBe(19.5);
    const flash = quote({
      provider: 'gemini',
      model: 'gemini-2.5-flash-image',
      operation: 'create',
      count: 3,
    });
    expect(flash.totalCredits).toBe(11.7);
    const pro4k = quote({
      provider: 'gemini',
      model: 'gemini-3-pro-image',
      operation: 'create',
      count: 2,
      size: { width: 4000, height: 4000 },
    });
    expect(pro4k.breakdown).toEqual([
      expect.objectContaining({ size_tier: '4K', quantity: 2, credits_each: 24, credits: 48 }),
    ]);
  });

  it('charges nothing for local operations and refuses a model that cannot do the operation', () => {
    expect(
      quote({ provider: 'local', model: null, operation: 'social.optimize', count: 20 }).totalUnits,
    ).toBe(0);
    expect(
      quote({ provider: 'local', model: null, operation: 'process.compress', count: 1 }).totalUnits,
    ).toBe(0);
    expect(quote({ provider: 'local', model: 'layout', operation: 'create', count: 4 }).totalUnits).toBe(0);
    expect(() => quote({ provider: 'stability', model: 'ultra', operation: 'edit.erase', count: 1 })).toThrow(
      expect.objectContaining({ status: 400 }),
    );
  });

  it('maps the original operation names and rejects unknown ones', () => {
    expect(normalizeOperation('generate')).toBe('create');
    expect(normalizeOperation('edit.inpaint')).toBe('edit.inpaint');
    expect(normalizeOperation('upscale.creative')).toBe('upscale.creative');
    expect(normalizeOperation('process.convert')).toBe('process.convert');
    expect(normalizeOperation('edit.teleport')).toBeUndefined();
    expect(normalizeOperation('process.')).toBeUndefined();
  });

  it('auto picks an AI model of the asked tier, the cheapest first, and the local layout only as a last resort', () => {
    const all: ProviderId[] = ['stability', 'wavespeed', 'huggingface', 'gemini', 'local'];
    const pick = (op: Parameters<typeof chooseModel>[0], q: Parameters<typeof chooseModel>[1], p = all) => {
      const c = chooseModel(op, q, p);
      return c && `${c.provider}/${c.model.id}`;
    };
    expect(pick('create', 'draft')).toBe('huggingface/black-forest-labs/FLUX.1-schnell');
    expect(pick('create', 'premium', ['stability', 'wavespeed', 'local'])).toBe('stability/sd3.5-large');
    expect(pick('create', 'standard', ['local'])).toBe('local/layout');
    expect(pick('upscale.creative', 'draft', ['wavespeed', 'local'])).toBeUndefined();
    expect(pick('upscale.fast', 'premium')).toBe('stability/upscale-fast');
  });
});
