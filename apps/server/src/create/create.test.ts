import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GeminiFake } from '../../../../test/fakes/gemini.ts';
import { HuggingfaceFake } from '../../../../test/fakes/huggingface.ts';
import { StabilityFake } from '../../../../test/fakes/stability.ts';
import { WavespeedFake } from '../../../../test/fakes/wavespeed.ts';
import {
  addUser,
  bearer,
  setupAdmin,
  startTestApp,
  type TestApp,
} from '../../../../test/support/test-app.ts';
import { TEMPLATES } from '../templates/templates.data.ts';

const stability = new StabilityFake();
const wavespeed = new WavespeedFake();
const huggingface = new HuggingfaceFake();
const gemini = new GeminiFake();
const fakes = [stability, wavespeed, huggingface, gemini];

let t: TestApp;
let token: string;

interface CreateBody {
  success: boolean;
  job_id: string;
  request: { enhanced_prompt: string | null; provider: string; model: string; dimensions: string };
  results: Array<{
    variation: number;
    image_base64?: string;
    width?: number;
    height?: number;
    provider?: string;
    model?: string;
    seed?: number | null;
    asset_id?: number;
    error?: string;
    code?: string;
  }>;
  total_generated: number;
  total_failed: number;
}

const create = async (payload: Record<string, unknown>) => {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/image-studio/create',
    headers: bearer(token),
    payload,
  });
  return { status: res.statusCode, body: res.json<CreateBody & { error?: { code: string } }>() };
};

/** The caller's ledger entries for one job (reserve, capture, refund or release). */
const ledgerOf = async (as: string, jobId: string) =>
  (await t.app.inject({ url: '/api/credits/history?page_size=200', headers: bearer(as) }))
    .json<{ items: Array<{ kind: string; amount: number; job_id: string | null }> }>()
    .items.filter((e) => e.job_id === jobId);

const balance = async () =>
  (await t.app.inject({ url: '/api/credits', headers: bearer(token) })).json<{ balance: number }>().balance;

async function pixelSize(b64: string) {
  const meta = await sharp(Buffer.from(b64, 'base64')).metadata();
  return [meta.width, meta.height];
}

beforeAll(async () => {
  await Promise.all(fakes.map((f) => f.start()));
  t = await startTestApp({
    env: {
      STABILITY_API_KEY: 'sk-test',
      WAVESPEED_API_KEY: 'ws-test',
      HF_TOKEN: 'hf_test',
      GEMINI_API_KEY: 'gm-test',
      STABILITY_BASE_URL: stability.baseUrl,
      WAVESPEED_BASE_URL: wavespeed.baseUrl,
      HF_BASE_URL: huggingface.baseUrl,
      GEMINI_BASE_URL: gemini.baseUrl,
    },
    providerClient: {
      retry: { baseDelayMs: 1, maxDelayMs: 5, maxAttempts: 3, maxRetryAfterMs: 5000 },
      poll: { intervalMs: 1, timeoutMs: 5000 },
      breaker: { failureThreshold: 1000, cooldownMs: 1000 },
    },
  });
  const admin = await setupAdmin(t.app);
  token = admin.token;
  const grant = await t.app.inject({
    method: 'POST',
    url: `/api/admin/users/${admin.userId}/credits`,
    headers: bearer(token),
    payload: { amount: 100_000, reason: 'tests' },
  });
  expect(grant.statusCode).toBeLessThan(300);
});

afterAll(async () => {
  await t?.close();
  await Promise.all(fakes.map((f) => f.stop()));
});

beforeEach(() => {
  for (const f of fakes) {
    f.reset();
    f.latencyMs = 0;
  }
});

const PROVIDERS = [
  ['stability', 'ultra'],
  ['wavespeed', 'ideogram-ai/ideogram-v3-quality'],
  ['huggingface', 'black-forest-labs/FLUX.1-dev'],
  ['gemini', 'gemini-2.5-flash-image'],
  ['local', 'layout'],
] as const;

describe('create on every provider', () => {
  it.each(PROVIDERS)('%s produces every template at its exact size', async (provider, model) => {
    const failures: string[] = [];
    for (let i = 0; i < TEMPLATES.length; i += 6) {
      const batch = TEMPLATES.slice(i, i + 6);
      await Promise.all(
        batch.map(async (template) => {
          const { status, body } = await create({
            prompt: 'a lighthouse at dawn',
            template_id: template.id,
            provider,
            model,
          });
          const result = body.results?.[0];
          if (status !== 200 || !result?.image_base64) {
            failures.push(`${template.id}: ${status} ${JSON.stringify(body).slice(0, 200)}`);
            return;
          }
          const size = await pixelSize(result.image_base64);
          if (size[0] !== template.width || size[1] !== template.height) {
            failures.push(`${template.id}: got ${size.join('×')}, want ${template.width}×${template.height}`);
          }
          expect(result).toMatchObject({ provider, model, width: template.width, height: template.height });
        }),
      );
    }
    expect(failures).toEqual([]);
  });
});

describe('provider choice', () => {
  it.each([
    ['draft', 'wavespeed', 'wavespeed-ai/qwen-image/text-to-image'],
    ['standard', 'wavespeed', 'wavespeed-ai/qwen-image/text-to-image-2512'],
    ['premium', 'wavespeed', 'ideogram-ai/ideogram-v3-quality'],
  ])('auto at %s quality picks %s %s', async (quality, provider, model) => {
    const { status, body } = await create({ prompt: 'a cup of tea', quality, width: 800, height: 600 });
    expect(status).toBe(200);
    expect(body.results[0]).toMatchObject({ provider, model, width: 800, height: 600 });
  });

  it("accepts the original API's model names", async () => {
    const named = await create({
      prompt: 'kites',
      provider: 'wavespeed',
      model: 'ideogram-v3-turbo',
      width: 512,
      height: 512,
    });
    expect(named.body.results[0]).toMatchObject({
      provider: 'wavespeed',
      model: 'ideogram-ai/ideogram-v3-turbo',
    });
    const modelOnly = await create({ prompt: 'kites', model: 'stability-ultra', width: 512, height: 512 });
    expect(modelOnly.body.results[0]).toMatchObject({ provider: 'stability', model: 'ultra' });
  });

  it('auto follows the template hint', async () => {
    const { body } = await create({
      prompt: 'mountain cabin',
      template_id: 'blog_header',
      quality: 'premium',
    });
    expect(body.results[0]?.provider).toBe('stability');
  });

  it('falls back to the next provider when one is down, and charges the one that delivered', async () => {
    wavespeed.failNext({ status: 500, times: 20 });
    const before = await balance();
    const { status, body } = await create({
      prompt: 'a red kite',
      quality: 'premium',
      width: 512,
      height: 512,
    });
    expect(status).toBe(200);
    expect(body.results[0]).toMatchObject({ provider: 'stability', model: 'ultra' });
    expect(wavespeed.requests.length).toBeGreaterThan(0);
    expect(before - (await balance())).toBeCloseTo(8, 5);
  });

  it("a fallback to a dearer provider is charged that provider's full price", async () => {
    wavespeed.failNext({ status: 500, times: 20 });
    const before = await balance();
    const { status, body } = await create({ prompt: 'a blue kite', width: 512, height: 512 });
    expect(status).toBe(200);
    // Standard quality tries WaveSpeed's Qwen (2 credits) first, then Stability Core (3 credits).
    expect(body.results[0]).toMatchObject({ provider: 'stability', model: 'core' });
    expect(wavespeed.requests.length).toBeGreaterThan(0);
    const entries = await ledgerOf(token, body.job_id);
    const reserved = -(entries.find((e) => e.kind === 'reserve')?.amount ?? 0);
    expect(reserved).toBeGreaterThanOrEqual(3);
    expect(-entries.reduce((sum, e) => sum + e.amount, 0)).toBeCloseTo(3, 5);
    expect(before - (await balance())).toBeCloseTo(3, 5);
  });

  it("falls back only to providers in the caller's plan", async () => {
    const user = await addUser(t.app, token, 'free-plan@example.com');
    await t.app.inject({
      method: 'POST',
      url: `/api/admin/users/${user.userId}/credits`,
      headers: bearer(token),
      payload: { amount: 500, reason: 'tests' },
    });
    wavespeed.failNext({ status: 500, times: 20 });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/image-studio/create',
      headers: bearer(user.token),
      payload: { prompt: 'a green kite', quality: 'premium', width: 512, height: 512 },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json<CreateBody>();
    // The free plan has WaveSpeed and Hugging Face: never Stability or Gemini, whatever fails.
    expect(body.results[0]).toMatchObject({ provider: 'huggingface' });
    expect(stability.requests).toHaveLength(0);
    expect(gemini.requests).toHaveLength(0);
    const entries = await ledgerOf(user.token, body.job_id);
    expect(-entries.reduce((sum, e) => sum + e.amount, 0)).toBeCloseTo(3, 5);
  });

  it('does not fall back or charge after a moderation refusal', async () => {
    const before = await balance();
    const { status, body } = await create({ prompt: 'FAKE_MODERATE something', quality: 'premium' });
    expect(status).toBe(422);
    expect(body.error?.code).toBe('content_moderated');
    expect(stability.requests.length + huggingface.requests.length + gemini.requests.length).toBe(0);
    expect(await balance()).toBe(before);
  });

  it('withholds a filtered (blurred) output as a moderation refusal, uncharged', async () => {
    const before = await balance();
    const { status, body } = await create({
      prompt: 'FAKE_FILTERED beach',
      provider: 'stability',
      model: 'core',
    });
    expect(status).toBe(422);
    expect(body.error?.code).toBe('content_moderated');
    expect(await balance()).toBe(before);
  });

  it('refuses an explicit provider without a key with 409 naming the key', async () => {
    const bare = await startTestApp();
    const admin = await setupAdmin(bare.app);
    const res = await bare.app.inject({
      method: 'POST',
      url: '/api/image-studio/create',
      headers: bearer(admin.token),
      payload: { prompt: 'x', provider: 'stability' },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('no_provider');
    const local = await bare.app.inject({
      method: 'POST',
      url: '/api/image-studio/create',
      headers: bearer(admin.token),
      payload: { prompt: 'Summer sale', template_id: 'instagram_story' },
    });
    expect(local.statusCode).toBe(200);
    expect(local.json().results[0]).toMatchObject({ provider: 'local', width: 1080, height: 1920 });
    await bare.close();
  });
});

describe('variations, prompts and the library', () => {
  it('runs 10 variations concurrently with consecutive seeds', async () => {
    stability.latencyMs = 150;
    const { status, body } = await create({
      prompt: 'paper boats',
      provider: 'stability',
      model: 'core',
      num_variations: 10,
      seed: 100,
      width: 640,
      height: 640,
    });
    expect(status).toBe(200);
    expect(body.total_generated).toBe(10);
    expect(body.results.map((r) => r.seed)).toEqual([100, 101, 102, 103, 104, 105, 106, 107, 108, 109]);
    expect(stability.maxInFlight).toBeGreaterThanOrEqual(3);
    const sent = stability.requests.map((r) => Number(r.fields?.seed)).sort((a, b) => a - b);
    expect(sent).toEqual([100, 101, 102, 103, 104, 105, 106, 107, 108, 109]);
  });

  it('sends the persona to the provider and shows the final prompt', async () => {
    const persona = await t.app.inject({
      method: 'POST',
      url: '/api/personas',
      headers: bearer(token),
      payload: { name: 'Acme', brand: 'Acme Coffee', tone: 'warm', colors: ['#6b3e26'], avoid: ['plastic'] },
    });
    const { body } = await create({
      prompt: 'latte art',
      provider: 'stability',
      model: 'core',
      persona_id: persona.json<{ id: number }>().id,
    });
    const sent = stability.requests.at(-1)?.fields;
    expect(sent?.prompt).toContain('Acme Coffee');
    expect(sent?.prompt).toContain('#6b3e26');
    expect(sent?.negative_prompt).toContain('plastic');
    expect(body.request.enhanced_prompt).toBe(sent?.prompt);
  });

  it('saves every result as an asset with its metadata and cost', async () => {
    const { body } = await create({
      prompt: 'tulip field',
      template_id: 'pinterest_pin',
      provider: 'stability',
      model: 'core',
      seed: 7,
      num_variations: 2,
    });
    for (const r of body.results) {
      const asset = await t.app.inject({ url: `/api/content-assets/${r.asset_id}`, headers: bearer(token) });
      expect(asset.json()).toMatchObject({
        source_module: 'create',
        operation: 'create',
        provider: 'stability',
        model: 'core',
        prompt: 'tulip field',
        width: 1000,
        height: 1500,
        format: 'png',
        cost_credits: 3,
        params: { template_id: 'pinterest_pin', seed: r.seed },
      });
      const file = await t.app.inject({
        url: `/api/content-assets/${r.asset_id}/file`,
        headers: bearer(token),
      });
      expect(file.rawPayload.equals(Buffer.from(r.image_base64 ?? '', 'base64'))).toBe(true);
    }
  });

  it('rejects bad input with 400 and writes nothing', async () => {
    const countAssets = async () =>
      (await t.app.inject({ url: '/api/content-assets?limit=1', headers: bearer(token) })).json<{
        total: number;
      }>().total;
    const before = await countAssets();
    for (const payload of [
      { prompt: '' },
      { prompt: 'x', num_variations: 11 },
      { prompt: 'x', template_id: 'nope' },
      { prompt: 'x', aspect_ratio: 'wide' },
      { prompt: 'x', style_preset: 'vaporwave' },
      { prompt: 'x', provider: 'ideogram' },
    ]) {
      const { status } = await create(payload);
      expect(status, JSON.stringify(payload)).toBe(400);
    }
    expect(await countAssets()).toBe(before);
  });

  it('answers 202 with a job in async mode and reports progress per variation', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/image-studio/create',
      headers: bearer(token),
      payload: { prompt: 'fog', provider: 'local', num_variations: 3, async: true },
    });
    expect(res.statusCode).toBe(202);
    const { job_id } = res.json<{ job_id: string }>();
    const events = await t.app.inject({ url: `/api/jobs/${job_id}/events`, headers: bearer(token) });
    const progress = events.body
      .split('\n\n')
      .filter((c) => c.includes('"running"'))
      .map((c) => JSON.parse(c.split('data: ')[1] ?? '{}').progress as number);
    expect(progress).toEqual(expect.arrayContaining([33, 67]));
    const job = await t.app.inject({ url: `/api/jobs/${job_id}`, headers: bearer(token) });
    expect(job.json()).toMatchObject({ status: 'succeeded', result: { total_generated: 3 } });
  });
});
