import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MAGIC } from '../../../../../test/fakes/fake-server.ts';
import { GeminiFake, TEXT_ONLY } from '../../../../../test/fakes/gemini.ts';
import { caught, fastOptions, testImage } from '../../../../../test/fakes/testing.ts';
import { isFallbackWorthy } from '../errors.ts';
import type { ImageProvider, ProviderRequest } from '../types.ts';
import { createGeminiProvider } from './client.ts';

const fake = new GeminiFake({ validKeys: ['g-good', 'nobilling-1'] });
let provider: ImageProvider;
let imagen: ImageProvider;
const auth = { apiKey: 'g-good' };
const flash: ProviderRequest = { operation: 'create', model: 'gemini-2.5-flash-image', prompt: 'a teapot' };

beforeAll(async () => {
  const base = await fake.start();
  provider = createGeminiProvider({ ...fastOptions(base), imagenEnabled: false });
  imagen = createGeminiProvider({ ...fastOptions(base), imagenEnabled: true });
});
afterAll(() => fake.stop());
beforeEach(() => fake.reset());

describe('gemini generateContent', () => {
  it('sends contents + imageConfig with x-goog-api-key and decodes the inline image', async () => {
    const r = await provider.run({ ...flash, width: 1920, height: 1080 }, auth);
    const req = fake.requests[0]!;
    expect(req.path).toBe('/v1beta/models/gemini-2.5-flash-image:generateContent');
    expect(req.headers['x-goog-api-key']).toBe('g-good');
    expect(req.json).toEqual({
      contents: [{ role: 'user', parts: [{ text: 'a teapot' }] }],
      generationConfig: { responseModalities: ['TEXT', 'IMAGE'], imageConfig: { aspectRatio: '16:9' } },
    });
    expect([r.width, r.height, r.mime]).toEqual([1344, 768, 'image/png']);
    expect(r.costCredits).toBe(3.9);
  });

  it('asks 3.x models for a size tier and charges by it', async () => {
    const r = await provider.run({ ...flash, model: 'gemini-3-pro-image', width: 1500, height: 1500 }, auth);
    const cfg = (fake.requests[0]!.json as { generationConfig: { imageConfig: object } }).generationConfig
      .imageConfig;
    expect(cfg).toEqual({ aspectRatio: '1:1', imageSize: '2K' });
    expect([r.width, r.height, r.costCredits]).toEqual([2048, 2048, 13.4]);
  });

  it('edits with the input image as inlineData at the input aspect ratio', async () => {
    const img = await testImage(120, 160);
    const r = await provider.run(
      { operation: 'edit.general_edit', model: 'gemini-2.5-flash-image', prompt: 'add a hat', image: img },
      auth,
    );
    const parts = (
      fake.requests[0]!.json as { contents: Array<{ parts: Array<{ inlineData?: { mimeType: string } }> }> }
    ).contents[0]!.parts;
    expect(parts[1]!.inlineData?.mimeType).toBe('image/png');
    expect([r.width, r.height]).toEqual([864, 1184]);
  });

  it('blockReason, safety finish and text-only answers are moderation, not crashes', async () => {
    for (const word of [MAGIC.moderation, MAGIC.filtered, TEXT_ONLY]) {
      const err = await caught(provider.run({ ...flash, prompt: `x ${word}` }, auth));
      expect([err.status, err.code]).toEqual([422, 'content_moderated']);
      expect(isFallbackWorthy(err)).toBe(false);
    }
  });

  it('a bad key is a 400 API_KEY_INVALID upstream and provider_auth here', async () => {
    const err = await caught(provider.run(flash, { apiKey: 'bad' }));
    expect([err.status, err.code]).toEqual([502, 'provider_auth']);
    expect((await caught(provider.run(flash, { apiKey: 'nobilling-1' }))).code).toBe('provider_quota');
  });

  it('429 RESOURCE_EXHAUSTED waits RetryInfo.retryDelay and re-sends', async () => {
    fake.failNext({ status: 429 });
    const r = await provider.run(flash, auth);
    expect(r.width).toBe(1024);
    expect(fake.requests).toHaveLength(2);
  });

  it('imagen is refused while the flag is off', async () => {
    const err = await caught(provider.run({ ...flash, model: 'imagen-4.0-generate-001' }, auth));
    expect(err.code).toBe('provider_rejected');
    expect(fake.requests).toHaveLength(0);
  });
});

describe('gemini imagen :predict', () => {
  it('sends instances/parameters with sampleCount 1 and reads bytesBase64Encoded', async () => {
    const r = await imagen.run(
      { ...flash, model: 'imagen-4.0-generate-001', width: 1080, height: 1920 },
      auth,
    );
    const req = fake.requests[0]!;
    expect(req.path).toBe('/v1beta/models/imagen-4.0-generate-001:predict');
    expect(req.json).toEqual({
      instances: [{ prompt: 'a teapot' }],
      parameters: { sampleCount: 1, aspectRatio: '9:16', sampleImageSize: '2K' },
    });
    expect([r.width, r.height]).toEqual([1536, 2816]);
  });

  it('all filtered / raiFilteredReason → content_moderated', async () => {
    for (const word of [MAGIC.moderation, MAGIC.filtered]) {
      const err = await caught(
        imagen.run({ ...flash, model: 'imagen-4.0-fast-generate-001', prompt: word }, auth),
      );
      expect(err.code).toBe('content_moderated');
    }
  });

  it('a shut-down Imagen model (404) is an outage worth falling back from', async () => {
    const off = new GeminiFake({ imagenShutdown: true });
    const p = createGeminiProvider({ ...fastOptions(await off.start()), imagenEnabled: true });
    const err = await caught(p.run({ ...flash, model: 'imagen-4.0-generate-001' }, { apiKey: 'k' }));
    expect(err.code).toBe('provider_unavailable');
    expect(isFallbackWorthy(err)).toBe(true);
    await off.stop();
  });

  it('testConnection lists models with the key', async () => {
    await provider.testConnection?.(auth);
    expect(fake.requests[0]!.path).toBe('/v1beta/models');
    expect((await caught(provider.testConnection!({ apiKey: 'bad' }))).code).toBe('provider_auth');
  });
});
