import sharp, { type OutputInfo } from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { realPhoto } from '../../../../test/support/real-photos.ts';
import { type BudgetAttempt, fitByteBudget } from './byte-budget.ts';
import { applyEncoder } from './encode.ts';

/** A real photograph at an Instagram post's size, encoded as the Social Optimizer's painter does. */
let pixels: { data: Buffer; info: OutputInfo };
const encode = (a: BudgetAttempt<'jpeg' | 'webp'>) =>
  applyEncoder(sharp(pixels.data, { raw: pixels.info }), {
    format: a.format,
    quality: a.quality,
    standardTables: a.standardTables === true,
  }).toBuffer();
const options = {
  format: 'jpeg' as const,
  quality: 85,
  minQuality: () => 40,
  fallbackFormats: [],
  minScale: 1,
};

beforeAll(async () => {
  pixels = await sharp(realPhoto('basketball'))
    .resize(1080, 1080)
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
});

describe('fitByteBudget with JPEG', () => {
  it('sends the standard-table encode when it fits: one encode, the same pixels as fitted tables', async () => {
    const standard = await encode({ format: 'jpeg', quality: 85, scale: 1, standardTables: true });
    const fitted = await encode({ format: 'jpeg', quality: 85, scale: 1 });
    expect(fitted.length).toBeLessThan(standard.length);
    const r = await fitByteBudget(encode, { ...options, maxBytes: standard.length });
    expect(r).toMatchObject({ withinLimit: true, encodes: 1, quality: 85, standardTables: true });
    expect(r.bytes.equals(standard)).toBe(true);
    const [a, b] = await Promise.all([standard, fitted].map((j) => sharp(j).raw().toBuffer()));
    expect(a!.equals(b!)).toBe(true);
  });

  it('fits the tables before it gives up quality when the standard ones miss by a little', async () => {
    const standard = await encode({ format: 'jpeg', quality: 85, scale: 1, standardTables: true });
    const fitted = await encode({ format: 'jpeg', quality: 85, scale: 1 });
    const r = await fitByteBudget(encode, { ...options, maxBytes: standard.length - 1 });
    expect(fitted.length).toBeLessThanOrEqual(standard.length - 1);
    expect(r).toMatchObject({ withinLimit: true, encodes: 2, quality: 85 });
    expect(r.standardTables).toBeUndefined();
    expect(r.bytes.equals(fitted)).toBe(true);
  });

  it('searches quality with fitted tables when neither table fits, and stays within the limit', async () => {
    const fitted = await encode({ format: 'jpeg', quality: 85, scale: 1 });
    const maxBytes = Math.round(fitted.length * 0.6);
    const r = await fitByteBudget(encode, { ...options, maxBytes });
    expect(r.withinLimit).toBe(true);
    expect(r.bytes.length).toBeLessThanOrEqual(maxBytes);
    expect(r.quality).toBeLessThan(85);
    expect(r.standardTables).toBeUndefined();
    expect(r.encodes).toBeLessThanOrEqual(6);
  });

  it('never marks a WebP encode with standard tables: WebP has no tables to fit', async () => {
    const webp = await encode({ format: 'webp', quality: 85, scale: 1 });
    const r = await fitByteBudget(encode, { ...options, format: 'webp', maxBytes: webp.length - 1 });
    expect(r.withinLimit).toBe(true);
    expect(r.quality).toBeLessThan(85);
    expect(r.standardTables).toBeUndefined();
  });
});
