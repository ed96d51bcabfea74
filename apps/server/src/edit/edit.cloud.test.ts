import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GeminiFake } from '../../../../test/fakes/gemini.ts';
import { StabilityFake } from '../../../../test/fakes/stability.ts';
import { WavespeedFake } from '../../../../test/fakes/wavespeed.ts';
import { discMask } from '../imaging/local/testing/synthetic-images.ts';
import {
  b64,
  decodeDataUrl,
  gradientPng,
  pngOf,
  type StudioTestApp,
  startStudioApp,
} from './testing/studio-app.ts';

const EDIT = '/api/image-studio/edit';
const stability = new StabilityFake({ asyncPolls: 2 });
const wavespeed = new WavespeedFake();
const gemini = new GeminiFake();

let s: StudioTestApp;
let bare: StudioTestApp;
let image: string;
let mask: string;

beforeAll(async () => {
  await Promise.all([stability.start(), wavespeed.start(), gemini.start()]);
  s = await startStudioApp({ stability, wavespeed, gemini });
  bare = await startStudioApp();
  image = b64(await gradientPng(128, 96));
  mask = b64(await pngOf(discMask(64, 48, 32, 24, 10)));
});
afterAll(async () => {
  await s?.close();
  await bare?.close();
  await Promise.all([stability.stop(), wavespeed.stop(), gemini.stop()]);
});
beforeEach(() => {
  stability.reset();
  wavespeed.reset();
  gemini.reset();
});

const last = (path: string) => {
  const r = stability.requests.filter((q) => q.path === path).at(-1);
  expect(r, `no request to ${path}`).toBeDefined();
  return { fields: r?.fields ?? {}, files: r?.files ?? {} };
};

describe('cloud edit operations reach the providers with the right fields', () => {
  it('inpaint with a prompt: image, mask at the image size, prompt, grow_mask default 5, style preset', async () => {
    const { status, body } = await s.post(EDIT, {
      image_base64: image,
      mask_base64: mask,
      operation: 'inpaint',
      prompt: 'a red balloon',
      negative_prompt: 'blurry',
      style_preset: 'photographic',
      seed: 42,
    });
    expect(status, JSON.stringify(body.error)).toBe(200);
    expect(body).toMatchObject({
      provider: 'stability',
      model: 'inpaint',
      width: 128,
      height: 96,
      cost_credits: 3,
      notices: [],
    });
    const { fields, files } = last('/v2beta/stable-image/edit/inpaint');
    expect(fields).toMatchObject({
      prompt: 'a red balloon',
      negative_prompt: 'blurry',
      style_preset: 'photographic',
      grow_mask: '5',
      seed: '42',
      output_format: 'png',
    });
    const sentMask = await decodeDataUrl(
      `data:image/png;base64,${b64(files.mask?.bytes ?? Buffer.alloc(0))}`,
    );
    expect([sentMask.width, sentMask.height]).toEqual([128, 96]);
    expect(files.image).toBeDefined();
  });

  it('outpaint with a prompt sends the four directions', async () => {
    const { status, body } = await s.post(EDIT, {
      image_base64: image,
      operation: 'outpaint',
      prompt: 'more sky',
      expand_up: 32,
      expand_left: 16,
    });
    expect(status, JSON.stringify(body.error)).toBe(200);
    expect(body).toMatchObject({ provider: 'stability', width: 144, height: 128 });
    expect(last('/v2beta/stable-image/edit/outpaint').fields).toMatchObject({
      prompt: 'more sky',
      up: '32',
      left: '16',
    });
  });

  it('search_replace and search_recolor send search_prompt / select_prompt', async () => {
    const a = await s.post(EDIT, {
      image_base64: image,
      operation: 'search_replace',
      prompt: 'a dog',
      search_prompt: 'cat',
    });
    expect(a.status, JSON.stringify(a.body.error)).toBe(200);
    expect(last('/v2beta/stable-image/edit/search-and-replace').fields).toMatchObject({
      prompt: 'a dog',
      search_prompt: 'cat',
    });
    const b = await s.post(EDIT, {
      image_base64: image,
      operation: 'search_recolor',
      prompt: 'green',
      select_prompt: 'the car',
    });
    expect(b.status, JSON.stringify(b.body.error)).toBe(200);
    expect(last('/v2beta/stable-image/edit/search-and-recolor').fields).toMatchObject({
      prompt: 'green',
      select_prompt: 'the car',
    });
    expect(b.body.provider).toBe('stability');
    // With a key, a mask beside select_prompt changes nothing: the cloud finds the object.
    const c = await s.post(EDIT, {
      image_base64: image,
      mask_base64: mask,
      operation: 'search_recolor',
      prompt: 'green',
      select_prompt: 'the car',
    });
    expect(c.status, JSON.stringify(c.body.error)).toBe(200);
    expect(c.body).toMatchObject({ provider: 'stability', notices: [] });
  });

  it('relight starts the async job at Stability and polls it to the result', async () => {
    const bg = b64(await gradientPng(64, 64));
    const light = b64(await gradientPng(32, 32));
    const { status, body } = await s.post(EDIT, {
      image_base64: image,
      operation: 'relight',
      prompt: 'a sunny beach',
      background_image_base64: bg,
      lighting_image_base64: light,
    });
    expect(status, JSON.stringify(body.error)).toBe(200);
    expect(body).toMatchObject({
      provider: 'stability',
      model: 'replace-background-and-relight',
      width: 128,
      height: 96,
    });
    const { fields, files } = last('/v2beta/stable-image/edit/replace-background-and-relight');
    expect(fields.background_prompt).toBe('a sunny beach');
    expect(Object.keys(files).sort()).toEqual(['background_reference', 'light_reference', 'subject_image']);
    const polls = stability.requests.filter(
      (r) => r.method === 'GET' && r.path.startsWith('/v2beta/results/'),
    );
    expect(polls.length).toBe(3);
  });

  it('general_edit goes to a WaveSpeed edit model with the image uploaded', async () => {
    const { status, body } = await s.post(EDIT, {
      image_base64: image,
      operation: 'general_edit',
      prompt: 'make it winter',
      provider: 'wavespeed',
    });
    expect(status, JSON.stringify(body.error)).toBe(200);
    expect(body.provider).toBe('wavespeed');
    expect(body.model).toMatch(/^wavespeed-ai\/qwen-image\/edit/);
    const submit = wavespeed.requests.find((r) => r.method === 'POST' && r.path.includes('/qwen-image/edit'));
    const sent = submit?.json as { prompt: string; image?: string; images?: string[]; size: string };
    expect(sent.prompt).toBe('make it winter');
    expect(sent.image ?? sent.images?.[0]).toMatch(/^http/);
    expect(wavespeed.requests.some((r) => r.path.endsWith('/media/upload/binary'))).toBe(true);
  });

  it('remove_background and erase go to Stability when it is chosen; replace_background composes its cut-out', async () => {
    const rb = await s.post(EDIT, {
      image_base64: image,
      operation: 'remove_background',
      provider: 'stability',
    });
    expect(rb.status, JSON.stringify(rb.body.error)).toBe(200);
    expect(rb.body).toMatchObject({ provider: 'stability', model: 'remove-background' });
    expect((await decodeDataUrl(rb.body.image_base64)).channels).toBe(4);
    const er = await s.post(EDIT, {
      image_base64: image,
      mask_base64: mask,
      operation: 'erase',
      provider: 'stability',
    });
    expect(er.status, JSON.stringify(er.body.error)).toBe(200);
    expect(last('/v2beta/stable-image/edit/erase').files.mask).toBeDefined();
    const rp = await s.post(EDIT, {
      image_base64: image,
      operation: 'replace_background',
      provider: 'stability',
      options: { background_color: 'red' },
    });
    expect(rp.status, JSON.stringify(rp.body.error)).toBe(200);
    const out = await decodeDataUrl(rp.body.image_base64);
    // The fake's cut-out is transparent over the left quarter: that is where the red shows.
    const p = (48 * 128 + 4) * out.channels;
    expect([out.data[p], out.data[p + 1], out.data[p + 2]]).toEqual([255, 0, 0]);
    expect(out.channels).toBe(3);
  });

  it('a moderation refusal is a 422 without fallback or charge', async () => {
    const before = await s.balance();
    const assets = await s.assetCount();
    const { status, body } = await s.post(EDIT, {
      image_base64: image,
      operation: 'search_replace',
      prompt: 'FAKE_MODERATE thing',
      search_prompt: 'cat',
    });
    expect(status).toBe(422);
    expect(body.error?.code).toBe('content_moderated');
    expect(wavespeed.requests.length).toBe(0);
    expect(await s.balance()).toBe(before);
    // The input was valid and is kept in the library; no result was made.
    expect(await s.assetCount()).toBeLessThanOrEqual(assets + 1);
  });

  it('a fallback is charged the price of the provider that delivered', async () => {
    gemini.failNext({ status: 500, times: 20 });
    const before = await s.balance();
    const { status, body } = await s.post(EDIT, {
      image_base64: image,
      operation: 'general_edit',
      prompt: 'make it autumn',
    });
    expect(status, JSON.stringify(body.error)).toBe(200);
    // Auto tries Gemini first; its outage falls back to WaveSpeed, which is what is charged.
    expect(gemini.requests.length).toBeGreaterThan(0);
    expect(body.provider).toBe('wavespeed');
    const quote = await s.t.app.inject({
      method: 'POST',
      url: '/api/image-studio/estimate-cost',
      headers: { authorization: `Bearer ${s.token}` },
      payload: { provider: 'wavespeed', model: body.model, operation: 'edit.general_edit' },
    });
    const price = quote.json<{ total_credits: number }>().total_credits;
    expect(price).toBeGreaterThan(0);
    expect(body.cost_credits).toBeCloseTo(price, 5);
    expect(before - (await s.balance())).toBeCloseTo(price, 5);
  });

  it('an outage with no other provider is a 503 and charges nothing', async () => {
    stability.failNext({ status: 500, times: 10 });
    const before = await s.balance();
    const { status } = await s.post(EDIT, {
      image_base64: image,
      operation: 'search_replace',
      prompt: 'x',
      search_prompt: 'y',
    });
    expect(status).toBe(503);
    expect(await s.balance()).toBe(before);
  });
});

describe('without provider keys', () => {
  it.each([
    [{ operation: 'search_replace', prompt: 'a dog', search_prompt: 'cat' }, 'STABILITY_API_KEY'],
    [{ operation: 'general_edit', prompt: 'winter' }, 'WAVESPEED_API_KEY'],
    [{ operation: 'relight', prompt: 'beach' }, 'STABILITY_API_KEY'],
    [
      { operation: 'inpaint', prompt: 'a hat', mask_base64: 'MASK', provider: 'stability' },
      'STABILITY_API_KEY',
    ],
  ])('%o is 409 no_provider naming %s, and stores nothing', async (payload, key) => {
    const before = await bare.assetCount();
    const { status, body } = await bare.post(EDIT, {
      image_base64: image,
      ...payload,
      ...('mask_base64' in payload ? { mask_base64: mask } : {}),
    });
    expect(status).toBe(409);
    expect(body.error?.code).toBe('no_provider');
    expect(body.error?.message).toContain(key);
    expect(await bare.assetCount()).toBe(before);
  });

  it('GET /edit/operations lists every operation with its providers, availability and price', async () => {
    const { operations } = await bare.get<{
      operations: Record<
        string,
        {
          async: boolean;
          available: boolean;
          price_credits: number;
          providers: Array<{ provider: string; available: boolean }>;
        }
      >;
    }>('/api/image-studio/edit/operations');
    expect(Object.keys(operations).sort()).toEqual(
      [
        'erase',
        'general_edit',
        'inpaint',
        'outpaint',
        'relight',
        'remove_background',
        'replace_background',
        'search_recolor',
        'search_replace',
      ].sort(),
    );
    expect(operations.remove_background).toMatchObject({ available: true, price_credits: 0 });
    expect(operations.relight).toMatchObject({ async: true, available: false, price_credits: 8 });
    const general = operations.general_edit?.providers ?? [];
    expect(general.some((p) => p.provider === 'wavespeed')).toBe(true);
    expect(general.every((p) => !p.available)).toBe(true);
    const withKeys = await s.get<{ operations: Record<string, { available: boolean }> }>(
      '/api/image-studio/edit/operations',
    );
    expect(withKeys.operations.relight?.available).toBe(true);
  });
});
