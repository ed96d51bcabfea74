import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { StabilityFake } from '../../../../test/fakes/stability.ts';
import { addUser, bearer } from '../../../../test/support/test-app.ts';
import {
  b64,
  decodeDataUrl,
  gradientPng,
  pngOf,
  type StudioTestApp,
  startStudioApp,
} from '../edit/testing/studio-app.ts';
import { naturalTexture } from '../imaging/local/testing/synthetic-images.ts';

const UPSCALE = '/api/image-studio/upscale';
const stability = new StabilityFake({ asyncPolls: 2 });

let bare: StudioTestApp;
let s: StudioTestApp;
let image: string;

beforeAll(async () => {
  await stability.start();
  bare = await startStudioApp();
  s = await startStudioApp({ stability });
  image = b64(await gradientPng(120, 90));
});
afterAll(async () => {
  await bare?.close();
  await s?.close();
  await stability.stop();
});
beforeEach(() => stability.reset());

describe('exact target sizes, offline', () => {
  it.each([
    [{ preset: 'web' }, 2048, 1536],
    [{ preset: 'social' }, 1080, 810],
    [{ preset: 'print' }, 3072, 2304],
    [{ preset: 'print', dpi: 150, print_width_in: 4, print_height_in: 6 }, 600, 900],
    [{ target_width: 500, target_height: 500 }, 500, 500],
    [{ target_width: 333 }, 333, 250],
    [{ target_height: 401 }, 535, 401],
    [{}, 480, 360],
  ])('fast %o → exactly %i × %i', async (extra, w, h) => {
    const { status, body } = await bare.post(UPSCALE, { image_base64: image, mode: 'fast', ...extra });
    expect(status, JSON.stringify(body.error)).toBe(200);
    expect(body).toMatchObject({
      success: true,
      mode: 'fast',
      provider: 'local',
      model: 'lanczos3',
      width: w,
      height: h,
    });
    const out = await decodeDataUrl(body.image_base64);
    expect([out.width, out.height]).toEqual([w, h]);
    expect(body.metadata).toMatchObject({ target_width: w, target_height: h });
  });

  it('takes the image as a multipart file part, its bytes stored as sent', async () => {
    const png = await gradientPng(60, 45);
    const { status, body } = await bare.postForm(
      UPSCALE,
      { mode: 'fast', target_width: '120' },
      { file: png },
    );
    expect(status, JSON.stringify(body.error)).toBe(200);
    expect(body).toMatchObject({ mode: 'fast', provider: 'local', width: 120, height: 90 });
    const stored = await bare.t.app.inject({
      url: `/api/content-assets/${body.input_asset_id}/file`,
      headers: bearer(bare.token),
    });
    expect(stored.rawPayload.equals(png)).toBe(true);
  });

  it('a file part and image_base64 together are a 400 naming the field, nothing stored', async () => {
    const before = await bare.assetCount();
    const { status, body } = await bare.postForm(
      UPSCALE,
      { mode: 'fast', image_base64: image },
      { file: await gradientPng(60, 45) },
    );
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ code: 'validation_failed' });
    expect(body.error?.message).toContain('Send image_base64 once');
    expect(await bare.assetCount()).toBe(before);
  });

  it('conservative runs the local super-resolution with progress, then hits the target', async () => {
    const small = b64(await pngOf(naturalTexture(40, 30, 4)));
    const res = await bare.post(UPSCALE, {
      image_base64: small,
      mode: 'conservative',
      target_width: 150,
      target_height: 100,
      async: true,
    });
    expect(res.status).toBe(202);
    const jobId = (res.body as { job_id: string }).job_id;
    const events = await bare.t.app.inject({
      url: `/api/jobs/${jobId}/events`,
      headers: { authorization: `Bearer ${bare.token}` },
    });
    const messages = events.body
      .split('\n\n')
      .filter((c) => c.includes('super-resolution'))
      .map((c) => JSON.parse(c.split('data: ')[1] ?? '{}').message as string);
    expect(messages.length).toBeGreaterThan(0);
    const job = await bare.get<{ status: string; result: { width: number; height: number; model: string } }>(
      `/api/jobs/${jobId}`,
    );
    expect(job).toMatchObject({
      status: 'succeeded',
      result: { width: 150, height: 100, model: 'esrgan-thick-4x' },
    });
  }, 120_000);

  it('auto says what it chose', async () => {
    const twice = await bare.post(UPSCALE, { image_base64: image, target_width: 240 });
    expect(twice.body).toMatchObject({ mode: 'fast', provider: 'local' });
    expect(String(twice.body.metadata?.auto_reason)).toMatch(/Lanczos3/);
    const keyed = await s.post(UPSCALE, { image_base64: image, preset: 'web' });
    expect(keyed.status, JSON.stringify(keyed.body.error)).toBe(200);
    expect(keyed.body).toMatchObject({
      mode: 'conservative',
      provider: 'stability',
      width: 2048,
      height: 1536,
    });
    expect(String(keyed.body.metadata?.auto_reason)).toMatch(/Stability/);
  });

  it("auto does not pick a provider outside the user's plan", async () => {
    const free = await addUser(s.t.app, s.token, 'free@example.com');
    const res = await s.t.app.inject({
      method: 'POST',
      url: UPSCALE,
      headers: bearer(free.token),
      payload: { image_base64: image, target_width: 600 },
    });
    expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
    expect(res.json()).toMatchObject({ provider: 'local', mode: 'conservative', width: 600, height: 450 });
  }, 120_000);

  it('creative without a key is 409 no_provider naming STABILITY_API_KEY; bad requests are 400', async () => {
    const before = await bare.assetCount();
    const creative = await bare.post(UPSCALE, { image_base64: image, mode: 'creative' });
    expect(creative.status).toBe(409);
    expect(creative.body.error?.message).toContain('STABILITY_API_KEY');
    for (const payload of [
      { image_base64: image, mode: 'turbo' },
      { image_base64: image, dpi: 300 },
      { image_base64: image, preset: 'print', print_width_in: 4 },
      { image_base64: image, target_width: 9000, target_height: 9000 },
      { mode: 'fast' },
    ]) {
      const { status } = await bare.post(UPSCALE, payload);
      expect(status, JSON.stringify(payload)).toBe(400);
    }
    expect(await bare.assetCount()).toBe(before);
  });
});

describe('Stability upscales', () => {
  it('creative starts the async job, polls it, and resizes to the exact target', async () => {
    const { status, body } = await s.post(UPSCALE, {
      image_base64: image,
      mode: 'creative',
      prompt: 'crisp',
      creativity: 0.3,
      target_width: 1000,
      target_height: 700,
    });
    expect(status, JSON.stringify(body.error)).toBe(200);
    expect(body).toMatchObject({
      mode: 'creative',
      provider: 'stability',
      model: 'upscale-creative',
      width: 1000,
      height: 700,
    });
    const start = stability.requests.find((r) => r.path === '/v2beta/stable-image/upscale/creative');
    expect(start?.fields).toMatchObject({ prompt: 'crisp', creativity: '0.3' });
    expect(
      stability.requests.filter((r) => r.method === 'GET' && r.path.startsWith('/v2beta/results/')).length,
    ).toBe(3);
    expect(body.cost_credits).toBe(25);
    const asset = await s.get<{ parent_ids: number[]; source_module: string; operation: string }>(
      `/api/content-assets/${body.asset_id}`,
    );
    expect(asset).toMatchObject({
      parent_ids: [body.input_asset_id],
      source_module: 'upscale',
      operation: 'upscale.creative',
    });
  });

  it('enlarges an input below Stability conservative minimum before sending it', async () => {
    const tiny = b64(await gradientPng(40, 30));
    const { status, body } = await s.post(UPSCALE, {
      image_base64: tiny,
      mode: 'conservative',
      provider: 'stability',
      target_width: 400,
      target_height: 300,
    });
    expect(status, JSON.stringify(body.error)).toBe(200);
    expect(body).toMatchObject({ provider: 'stability', width: 400, height: 300 });
    const req = stability.requests.find((r) => r.path === '/v2beta/stable-image/upscale/conservative');
    const sentImage = await decodeDataUrl(
      `data:image/png;base64,${b64(req?.files?.image?.bytes ?? Buffer.alloc(0))}`,
    );
    expect(Math.min(sentImage.width, sentImage.height)).toBeGreaterThanOrEqual(64);
  });

  it('fast at Stability when chosen, then exact', async () => {
    const { status, body } = await s.post(UPSCALE, {
      image_base64: image,
      mode: 'fast',
      provider: 'stability',
      preset: 'social',
    });
    expect(status, JSON.stringify(body.error)).toBe(200);
    expect(body).toMatchObject({ provider: 'stability', model: 'upscale-fast', width: 1080, height: 810 });
    expect(stability.requests.some((r) => r.path === '/v2beta/stable-image/upscale/fast')).toBe(true);
  });
});
