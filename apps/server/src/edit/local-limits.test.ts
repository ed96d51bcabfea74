import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addUser,
  bearer,
  setupAdmin,
  startTestApp,
  type TestApp,
} from '../../../../test/support/test-app.ts';
import { discMask, naturalTexture } from '../imaging/local/testing/synthetic-images.ts';
import { b64, pngOf } from './testing/studio-app.ts';

/**
 * Limits on local work through the routes: the outpaint canvas cap, the mask decode under the
 * pixel budget, and local jobs counting against the plan's jobs per minute.
 */
let t: TestApp;
let admin: string;
let free: string;

beforeAll(async () => {
  t = await startTestApp({
    env: {
      MAX_OUTPAINT_MEGAPIXELS: '0.05',
      IMAGE_PIXEL_BUDGET_MEGAPIXELS: '1',
      IMAGE_QUEUE_MS: '50',
      MAX_ANSWER_MB: '0.02',
    },
  });
  admin = (await setupAdmin(t.app)).token;
  free = (await addUser(t.app, admin, 'free@example.com')).token;
});
afterAll(async () => {
  await t?.close();
});

const post = (token: string, url: string, payload: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url, headers: bearer(token), payload });
const assetCount = async (token: string) =>
  (await t.app.inject({ url: '/api/content-assets?limit=100', headers: bearer(token) })).json<{
    total: number;
  }>().total;

describe('local edit limits', () => {
  it('refuses an outpaint whose canvas passes MAX_OUTPAINT_MEGAPIXELS with 422, storing nothing', async () => {
    const image = b64(await pngOf(naturalTexture(200, 200, 3)));
    const before = await assetCount(admin);
    const res = await post(admin, '/api/image-studio/edit', {
      image_base64: image,
      operation: 'outpaint',
      expand_right: 100,
    });
    expect(res.statusCode, res.body).toBe(422);
    const error = res.json().error;
    expect(error.code).toBe('canvas_too_large');
    expect(error.message).toContain('300×200');
    expect(error.details).toEqual({ width: 300, height: 200, max_pixels: 50_000 });
    expect(await assetCount(admin)).toBe(before);
  });

  it('decodes a mask under the pixel budget: 503 with Retry-After while it is full', async () => {
    let release!: () => void;
    const held = t.ctx.admission.request(1_000_000, () => new Promise<void>((r) => (release = r)));
    try {
      const res = await post(admin, '/api/image-studio/edit', {
        image_base64: b64(await pngOf(naturalTexture(64, 64, 5))),
        mask_base64: b64(await pngOf(discMask(64, 64, 32, 32, 10))),
        operation: 'erase',
      });
      expect(res.statusCode, res.body).toBe(503);
      expect(res.json().error.code).toBe('server_busy');
      expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    } finally {
      release();
      await held;
    }
  });

  it('refuses to inline a result past MAX_ANSWER_MB with 413, naming the saved asset to fetch', async () => {
    const res = await post(admin, '/api/image-studio/upscale', {
      image_base64: b64(await pngOf(naturalTexture(128, 128, 4))),
      mode: 'fast',
      target_width: 512,
    });
    expect(res.statusCode, res.body).toBe(413);
    const error = res.json().error;
    expect(error.code).toBe('output_too_large');
    expect(error.details.limit_bytes).toBe(Math.round(0.02 * 1024 * 1024));
    expect(error.message).toContain(`asset ${error.details.asset_id}`);
    const file = await t.app.inject({ url: error.details.file_url, headers: bearer(admin) });
    expect(file.statusCode).toBe(200);
    expect(file.rawPayload.length).toBe(error.details.produced_bytes);
  });

  it('counts local jobs against the plan’s jobs per minute (free: 10)', async () => {
    const image = b64(await pngOf(naturalTexture(32, 32, 9)));
    const upscale = () =>
      post(free, '/api/image-studio/upscale', { image_base64: image, mode: 'fast', target_width: 64 });
    for (let i = 0; i < 10; i++) {
      const ok = await upscale();
      expect(ok.statusCode, ok.body).toBe(200);
    }
    const refused = await upscale();
    expect(refused.statusCode, refused.body).toBe(429);
    expect(refused.json().error.code).toBe('rate_limited');
    expect(refused.json().error.message).toContain('10 jobs per minute');
  }, 120_000);
});
