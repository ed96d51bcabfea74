import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GeminiFake } from '../../../../test/fakes/gemini.ts';
import { StabilityFake } from '../../../../test/fakes/stability.ts';
import { testImage } from '../../../../test/fakes/testing.ts';
import { hasPostgres } from '../../../../test/support/backends.ts';
import {
  addUser,
  bearer,
  setupAdmin,
  startTestApp,
  type TestApp,
} from '../../../../test/support/test-app.ts';

/**
 * Create from a reference image (image-to-image): the image goes through the ingest path, only models
 * that take one are used (Stability Ultra and SD3; the fake checks the documented fields), the result's
 * parent is the reference, and a provider that cannot take one is a 400 that leaves nothing behind.
 */
describe.each([
  ['sqlite', true],
  ['postgres', hasPostgres()],
] as const)('create with a reference image on %s', (dialect, available) => {
  const stability = new StabilityFake();
  const gemini = new GeminiFake();
  let t: TestApp;
  let token: string;
  let reference: Buffer;

  beforeAll(async () => {
    if (!available) return;
    await Promise.all([stability.start(), gemini.start()]);
    t = await startTestApp({
      dialect,
      env: {
        STABILITY_API_KEY: 'sk-test',
        GEMINI_API_KEY: 'gm-test',
        STABILITY_BASE_URL: stability.baseUrl,
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
    await t.app.inject({
      method: 'POST',
      url: `/api/admin/users/${admin.userId}/credits`,
      headers: bearer(token),
      payload: { amount: 10_000, reason: 'tests' },
    });
    reference = await testImage(320, 240);
  });
  afterAll(async () => {
    await t?.close();
    await Promise.all([stability.stop(), gemini.stop()]);
  });
  beforeEach(() => {
    stability.reset();
    gemini.reset();
  });

  const create = async (payload: Record<string, unknown>, as = token) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/image-studio/create',
      headers: bearer(as),
      payload,
    });
    return {
      status: res.statusCode,
      body: res.json<{
        job_id: string;
        request: { provider: string; model: string };
        results: Array<{ asset_id: number; image_base64: string; provider: string; model: string }>;
        error?: { code: string; message: string };
      }>(),
    };
  };
  const asset = async (id: number) =>
    (await t.app.inject({ url: `/api/content-assets/${id}`, headers: bearer(token) })).json<{
      parent_ids: number[];
      params: Record<string, unknown>;
      source_module: string;
    }>();
  const assetCount = async () =>
    (await t.app.inject({ url: '/api/content-assets?limit=1', headers: bearer(token) })).json<{
      total: number;
    }>().total;
  const balance = async () =>
    (await t.app.inject({ url: '/api/credits', headers: bearer(token) })).json<{ balance: number }>().balance;
  const generateCalls = () => stability.requests.filter((r) => r.path.includes('/generate/'));

  it.runIf(available)(
    'SD3 gets mode image-to-image with the image and strength, and the result descends from the reference',
    async () => {
      const { status, body } = await create({
        prompt: 'the same scene in watercolour',
        provider: 'stability',
        model: 'sd3.5-large',
        width: 800,
        height: 600,
        reference_image_base64: `data:image/png;base64,${reference.toString('base64')}`,
        strength: 0.3,
      });
      expect(status, JSON.stringify(body)).toBe(200);
      const [sent] = generateCalls();
      expect(sent?.path).toBe('/v2beta/stable-image/generate/sd3');
      expect(sent?.fields).toMatchObject({ mode: 'image-to-image', strength: '0.3', model: 'sd3.5-large' });
      expect(sent?.fields?.aspect_ratio).toBeUndefined();
      const sentImage = await sharp(sent?.files?.image?.bytes).metadata();
      expect([sentImage.width, sentImage.height]).toEqual([320, 240]);

      const result = body.results[0]!;
      const out = await sharp(Buffer.from(result.image_base64, 'base64')).metadata();
      expect([out.width, out.height]).toEqual([800, 600]);
      const saved = await asset(result.asset_id);
      expect(saved.parent_ids).toHaveLength(1);
      expect(saved.params).toMatchObject({ reference_asset_id: saved.parent_ids[0], strength: 0.3 });
      const parent = await asset(saved.parent_ids[0]!);
      expect(parent.source_module).toBe('upload');
    },
  );

  it.runIf(available)(
    'a library asset works as the reference; Ultra gets image + default strength; auto picks a model that takes it',
    async () => {
      const first = await create({
        prompt: 'x',
        provider: 'stability',
        model: 'ultra',
        reference_image_base64: reference.toString('base64'),
      });
      expect(first.status).toBe(200);
      const referenceId = (await asset(first.body.results[0]!.asset_id)).parent_ids[0]!;
      expect(generateCalls()[0]?.fields).toMatchObject({ strength: '0.5' });
      expect(generateCalls()[0]?.files?.image).toBeDefined();

      stability.reset();
      const auto = await create({
        prompt: 'y',
        provider: 'auto',
        quality: 'premium',
        reference_asset_id: referenceId,
        strength: 0.8,
      });
      expect(auto.status, JSON.stringify(auto.body)).toBe(200);
      expect(auto.body.request.provider).toBe('stability');
      expect(['ultra', 'sd3.5-large']).toContain(auto.body.request.model);
      expect(gemini.requests).toHaveLength(0);
      expect(generateCalls()[0]?.fields?.strength).toBe('0.8');
      expect((await asset(auto.body.results[0]!.asset_id)).parent_ids).toEqual([referenceId]);

      stability.reset();
      // The provider's usual standard model (Core) takes no image: its image-to-image model is used.
      const named = await create({ prompt: 'z', provider: 'stability', reference_asset_id: referenceId });
      expect(named.status).toBe(200);
      expect(named.body.request.model).not.toBe('core');
      expect(generateCalls()[0]?.fields?.mode).toBe('image-to-image');
    },
  );

  it.runIf(available)(
    'a provider or model that cannot take a reference is a 400 that stores, reserves and sends nothing',
    async () => {
      const before = { assets: await assetCount(), balance: await balance() };
      const b64 = reference.toString('base64');
      for (const payload of [
        { prompt: 'x', provider: 'gemini', reference_image_base64: b64 },
        { prompt: 'x', provider: 'stability', model: 'core', reference_image_base64: b64 },
        { prompt: 'x', provider: 'local', reference_image_base64: b64 },
      ]) {
        const { status, body } = await create(payload);
        expect(status, JSON.stringify(payload)).toBe(400);
        expect(body.error?.message).toMatch(/cannot take a reference image \(image-to-image\)/);
        expect(body.error?.message).toContain('stability ultra');
      }
      const bad = await create({
        prompt: 'x',
        provider: 'stability',
        reference_image_base64: 'bm90IGFuIGltYWdl',
      });
      // Not an image: the ingest path's answer, the same as every studio's.
      expect([bad.status, bad.body.error?.code]).toEqual([415, 'unsupported_media_type']);
      const twice = await create({
        prompt: 'x',
        provider: 'stability',
        reference_image_base64: b64,
        reference_asset_id: 1,
      });
      expect(twice.status).toBe(400);
      const strengthAlone = await create({ prompt: 'x', provider: 'stability', strength: 0.4 });
      expect(strengthAlone.status).toBe(400);
      expect(strengthAlone.body.error?.message).toMatch(/strength applies to a reference image/);
      expect(await assetCount()).toBe(before.assets);
      expect(await balance()).toBe(before.balance);
      expect(stability.requests).toHaveLength(0);
      expect(gemini.requests).toHaveLength(0);
    },
  );

  it.runIf(available)(
    'the estimate with a reference names the model the run uses, and its credits are what the run charges',
    async () => {
      const estimate = async (payload: Record<string, unknown>) => {
        const res = await t.app.inject({
          method: 'POST',
          url: '/api/image-studio/estimate-cost',
          headers: bearer(token),
          payload: { operation: 'create', width: 800, height: 600, ...payload },
        });
        return { status: res.statusCode, body: res.json() };
      };
      // Without a reference, Stability's standard model is Core, which takes no image.
      const plain = await estimate({ provider: 'stability' });
      expect(plain.body.model).toBe('core');
      const b64 = reference.toString('base64');
      for (const choice of [
        { provider: 'stability' },
        { provider: 'stability', quality: 'draft' },
        { provider: 'auto' },
        { provider: 'auto', quality: 'premium', num_images: 2 },
      ]) {
        const priced = await estimate({ ...choice, with_reference: true });
        expect(priced.status, JSON.stringify(priced.body)).toBe(200);
        expect(priced.body.model).not.toBe('core');
        const before = await balance();
        const run = await create({
          prompt: 'the same scene',
          width: 800,
          height: 600,
          ...choice,
          num_variations: 'num_images' in choice ? choice.num_images : 1,
          reference_image_base64: b64,
        });
        expect(run.status, JSON.stringify(run.body)).toBe(200);
        expect(run.body.request, JSON.stringify(choice)).toMatchObject({
          provider: priced.body.provider,
          model: priced.body.model,
        });
        expect(before - (await balance()), JSON.stringify(choice)).toBeCloseTo(priced.body.total_credits, 6);
      }
      const refused = await estimate({ provider: 'gemini', with_reference: true });
      expect(refused.status).toBe(400);
      expect(refused.body.error.message).toMatch(/cannot take a reference image \(image-to-image\)/);
    },
  );

  it.runIf(available)("another user's asset as the reference is 404", async () => {
    const mine = await create({
      prompt: 'x',
      provider: 'stability',
      model: 'ultra',
      reference_image_base64: reference.toString('base64'),
    });
    const referenceId = (await asset(mine.body.results[0]!.asset_id)).parent_ids[0]!;
    const other = await addUser(t.app, token, `other-${dialect}@example.com`);
    stability.reset();
    const { status } = await create(
      { prompt: 'x', provider: 'stability', reference_asset_id: referenceId },
      other.token,
    );
    expect(status).toBe(404);
    expect(stability.requests).toHaveLength(0);
  });
});
