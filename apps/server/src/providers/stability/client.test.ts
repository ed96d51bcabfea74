import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MAGIC } from '../../../../../test/fakes/fake-server.ts';
import { StabilityFake } from '../../../../../test/fakes/stability.ts';
import { caught, fastOptions, testImage } from '../../../../../test/fakes/testing.ts';
import { isFallbackWorthy } from '../errors.ts';
import type { ImageProvider, ProviderRequest } from '../types.ts';
import { createStabilityProvider } from './client.ts';

const fake = new StabilityFake({ validKeys: ['sk-good', 'broke-1'], asyncPolls: 2 });
let provider: ImageProvider;
const auth = { apiKey: 'sk-good' };
let img: Buffer;

beforeAll(async () => {
  provider = createStabilityProvider(fastOptions(await fake.start()));
  img = await testImage(96, 64);
});
afterAll(() => fake.stop());
beforeEach(() => fake.reset());

const run = (req: Omit<ProviderRequest, 'operation'> & { operation: ProviderRequest['operation'] }) =>
  provider.run(req, auth);
const last = () => fake.requests[fake.requests.length - 1]!;

describe('stability generate', () => {
  it('sends multipart with bearer auth and accept image/*, and returns the image at the nearest ratio', async () => {
    const r = await run({
      operation: 'create',
      model: 'ultra',
      prompt: 'a red fox',
      width: 1920,
      height: 1080,
      seed: 42,
      stylePreset: 'cinematic',
    });
    const req = last();
    expect(req.path).toBe('/v2beta/stable-image/generate/ultra');
    expect(req.headers.authorization).toBe('Bearer sk-good');
    expect(req.headers.accept).toBe('image/*');
    expect(req.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(req.fields).toMatchObject({
      prompt: 'a red fox',
      aspect_ratio: '16:9',
      seed: '42',
      style_preset: 'cinematic',
    });
    expect([r.width, r.height]).toEqual([1344, 768]);
    expect(r).toMatchObject({
      provider: 'stability',
      model: 'ultra',
      seed: 42,
      mime: 'image/png',
      costCredits: 8,
      moderated: false,
    });
    expect(r.requestId).toMatch(/^[0-9a-f]+$/);
  });

  it('sends the sd3 model id and cfg_scale, never a style preset', async () => {
    const r = await run({
      operation: 'create',
      model: 'sd3.5-large',
      prompt: 'p',
      guidance: 5,
      stylePreset: 'anime',
    });
    expect(last().path).toBe('/v2beta/stable-image/generate/sd3');
    expect(last().fields).toMatchObject({
      model: 'sd3.5-large',
      mode: 'text-to-image',
      cfg_scale: '5',
      aspect_ratio: '1:1',
    });
    expect(last().fields?.style_preset).toBeUndefined();
    expect(r.costCredits).toBe(6.5);
  });

  it('leaves out style presets and formats the endpoint does not take', async () => {
    const r = await run({ operation: 'create', model: 'core', prompt: 'p', stylePreset: 'minimal' });
    expect(last().fields?.style_preset).toBeUndefined();
    expect(r.width).toBeGreaterThan(0);
    const sd3 = await run({ operation: 'create', model: 'sd3.5-medium', prompt: 'p', outputFormat: 'webp' });
    expect(last().fields?.output_format).toBeUndefined();
    expect(sd3.mime).toBe('image/png');
  });

  it('flags CONTENT_FILTERED as a moderated success', async () => {
    const r = await run({ operation: 'create', model: 'core', prompt: `x ${MAGIC.filtered}` });
    expect(r.moderated).toBe(true);
  });
});

describe('stability edit, upscale, control', () => {
  it('erase and inpaint send image + mask', async () => {
    const mask = await testImage(96, 64);
    const r = await run({ operation: 'edit.erase', model: 'erase', image: img, mask, growMask: 3 });
    expect(Object.keys(last().files ?? {})).toEqual(['image', 'mask']);
    expect(last().fields?.grow_mask).toBe('3');
    expect([r.width, r.height]).toEqual([96, 64]);
    await run({
      operation: 'edit.inpaint',
      model: 'inpaint',
      image: img,
      mask,
      prompt: 'a hat',
      negativePrompt: 'blur',
    });
    expect(last().fields).toMatchObject({ prompt: 'a hat', negative_prompt: 'blur' });
  });

  it('outpaint grows the canvas by the padding', async () => {
    const r = await run({
      operation: 'edit.outpaint',
      model: 'outpaint',
      image: img,
      expand: { left: 10, down: 6 },
    });
    expect(last().fields).toMatchObject({ left: '10', down: '6' });
    expect([r.width, r.height]).toEqual([106, 70]);
  });

  it('outpaint with no direction is refused before any request', async () => {
    const err = await caught(run({ operation: 'edit.outpaint', model: 'outpaint', image: img }));
    expect(err.code).toBe('provider_rejected');
    expect(fake.requests).toHaveLength(0);
  });

  it('search-and-replace and search-and-recolor send their search fields', async () => {
    await run({
      operation: 'edit.search_replace',
      model: 'search-and-replace',
      image: img,
      prompt: 'a cat',
      searchPrompt: 'dog',
    });
    expect(last().fields).toMatchObject({ prompt: 'a cat', search_prompt: 'dog' });
    await run({
      operation: 'edit.search_recolor',
      model: 'search-and-recolor',
      image: img,
      prompt: 'blue',
      selectPrompt: 'car',
    });
    expect(last().fields).toMatchObject({ prompt: 'blue', select_prompt: 'car' });
  });

  it('remove-background returns a PNG with transparency', async () => {
    const r = await run({
      operation: 'edit.remove_background',
      model: 'remove-background',
      image: img,
      outputFormat: 'jpeg',
    });
    expect(last().fields?.output_format).toBe('png');
    const { data, info } = await sharp(r.image).raw().toBuffer({ resolveWithObject: true });
    expect(info.channels).toBe(4);
    expect(data[3]).toBe(0);
  });

  it('relight starts an async job and polls /v2beta/results/{id} with the same key', async () => {
    const r = await run({
      operation: 'edit.relight',
      model: 'replace-background-and-relight',
      image: img,
      backgroundPrompt: 'beach',
      lightDirection: 'left',
      lightStrength: 0.4,
    });
    const start = fake.requests[0]!;
    expect(start.path).toBe('/v2beta/stable-image/edit/replace-background-and-relight');
    expect(start.headers.accept).not.toBe('image/*');
    expect(Object.keys(start.files ?? {})).toEqual(['subject_image']);
    expect(start.fields).toMatchObject({
      background_prompt: 'beach',
      light_source_direction: 'left',
      light_source_strength: '0.4',
    });
    const polls = fake.requests.slice(1);
    expect(polls).toHaveLength(3);
    expect(polls.every((p) => p.method === 'GET' && p.path.startsWith('/v2beta/results/'))).toBe(true);
    expect(polls[0]!.headers.authorization).toBe('Bearer sk-good');
    expect(r.costCredits).toBe(8);
    expect(r.requestId).toBeTruthy();
  });

  it('fast upscale is 4× and creative upscale polls for its result', async () => {
    const fast = await run({ operation: 'upscale.fast', model: 'upscale-fast', image: img });
    expect([fast.width, fast.height]).toEqual([384, 256]);
    const creative = await run({
      operation: 'upscale.creative',
      model: 'upscale-creative',
      image: img,
      creativity: 0.3,
    });
    expect(fake.requests.filter((q) => q.method === 'GET')).toHaveLength(3);
    expect(fake.requests[1]!.fields).toMatchObject({ creativity: '0.3' });
    expect(fake.requests[1]!.fields?.prompt).toBeTruthy();
    expect(creative.width).toBeGreaterThan(96);
  });

  it('conservative upscale always sends a prompt', async () => {
    await run({ operation: 'upscale.conservative', model: 'upscale-conservative', image: img });
    expect(last().fields?.prompt).toMatch(/upscale/i);
  });

  it('control endpoints send their own fields', async () => {
    await run({
      operation: 'control.sketch',
      model: 'control-sketch',
      image: img,
      prompt: 'house',
      controlStrength: 0.6,
    });
    expect(last().fields).toMatchObject({ control_strength: '0.6' });
    await run({ operation: 'control.structure', model: 'control-structure', image: img, prompt: 'house' });
    expect(last().path).toBe('/v2beta/stable-image/control/structure');
    const style = await run({
      operation: 'control.style',
      model: 'control-style',
      image: img,
      prompt: 'house',
      fidelity: 0.8,
      aspectRatio: '16:9',
    });
    expect(last().fields).toMatchObject({ fidelity: '0.8', aspect_ratio: '16:9' });
    expect([style.width, style.height]).toEqual([1344, 768]);
    await run({
      operation: 'control.style_transfer',
      model: 'control-style-transfer',
      image: img,
      referenceImage: img,
      styleStrength: 1,
    });
    expect(Object.keys(last().files ?? {})).toEqual(['init_image', 'style_image']);
  });
});

describe('stability error mapping and faults', () => {
  it('bad key → provider_auth (502)', async () => {
    const err = await caught(
      provider.run({ operation: 'create', model: 'core', prompt: 'p' }, { apiKey: 'nope' }),
    );
    expect([err.status, err.code]).toEqual([502, 'provider_auth']);
  });

  it('no credits → provider_quota (502)', async () => {
    const err = await caught(
      provider.run({ operation: 'create', model: 'core', prompt: 'p' }, { apiKey: 'broke-1' }),
    );
    expect([err.status, err.code]).toEqual([502, 'provider_quota']);
  });

  it('moderation → 422 content_moderated, one request, no fallback', async () => {
    const err = await caught(run({ operation: 'create', model: 'core', prompt: `bad ${MAGIC.moderation}` }));
    expect([err.status, err.code]).toEqual([422, 'content_moderated']);
    expect(isFallbackWorthy(err)).toBe(false);
    expect(fake.requests).toHaveLength(1);
  });

  it('checks documented input limits before sending anything', async () => {
    const tiny = await testImage(32, 32);
    const err = await caught(run({ operation: 'edit.erase', model: 'erase', image: tiny, mask: tiny }));
    expect([err.status, err.code]).toEqual([400, 'provider_rejected']);
    expect(err.message).toMatch(/at least 64/);
    const wide = await testImage(400, 100);
    expect(
      (await caught(run({ operation: 'edit.outpaint', model: 'outpaint', image: wide, expand: { left: 5 } })))
        .message,
    ).toMatch(/aspect ratio/);
    const long = 'x'.repeat(10_001);
    expect((await caught(run({ operation: 'create', model: 'core', prompt: long }))).code).toBe(
      'provider_rejected',
    );
    expect(fake.requests).toHaveLength(0);
  });

  it('a field error from the provider → 400 provider_rejected with its message', async () => {
    const err = await caught(run({ operation: 'edit.inpaint', model: 'inpaint', image: img, prompt: 'x' }));
    expect([err.status, err.code]).toEqual([400, 'provider_rejected']);
    expect(err.message).toContain('mask: is required');
  });

  it('429 with Retry-After, then success', async () => {
    fake.failNext({ status: 429, retryAfter: 0 });
    const r = await run({ operation: 'create', model: 'core', prompt: 'p' });
    expect(r.width).toBeGreaterThan(0);
    expect(fake.requests).toHaveLength(2);
  });

  it('500 on a generate POST is not re-sent', async () => {
    fake.failNext({ status: 500, times: 3 });
    const err = await caught(run({ operation: 'create', model: 'core', prompt: 'p' }));
    expect(err.code).toBe('provider_unavailable');
    expect(isFallbackWorthy(err)).toBe(true);
    expect(fake.requests).toHaveLength(1);
  });

  it('a failing poll is retried', async () => {
    fake.failNext({ status: 502, match: /^GET /, times: 2 });
    const r = await run({ operation: 'upscale.creative', model: 'upscale-creative', image: img });
    expect(r.width).toBeGreaterThan(0);
  });

  it('testConnection reads the balance with the key', async () => {
    await provider.testConnection?.(auth);
    expect(last().path).toBe('/v1/user/balance');
    const err = await caught(provider.testConnection!({ apiKey: 'nope' }));
    expect(err.code).toBe('provider_auth');
  });
});

describe('stability rate limit', () => {
  it('beyond the window limit → 429 rate_limited carrying Retry-After', async () => {
    fake.rateLimit.max = 1;
    try {
      await run({ operation: 'create', model: 'core', prompt: 'one' });
      const err = await caught(provider.run({ operation: 'create', model: 'core', prompt: 'two' }, auth));
      expect([err.status, err.code]).toEqual([429, 'rate_limited']);
      expect(err.headers?.['retry-after']).toBeDefined();
    } finally {
      fake.rateLimit.max = Number.POSITIVE_INFINITY;
    }
  });
});

describe('stability async deadline', () => {
  it('a result that never becomes ready ends as provider_unavailable at the poll deadline', async () => {
    const slow = createStabilityProvider(
      fastOptions(fake.baseUrl, { poll: { intervalMs: 1, timeoutMs: 30 } }),
    );
    fake.asyncPolls = 1_000_000;
    try {
      const err = await caught(
        slow.run({ operation: 'upscale.creative', model: 'upscale-creative', image: img }, auth),
      );
      expect(err.code).toBe('provider_unavailable');
      expect(err.message).toBeTruthy();
      expect(fake.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
    } finally {
      fake.asyncPolls = 2;
    }
  });
});
