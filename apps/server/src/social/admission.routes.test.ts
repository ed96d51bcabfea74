import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, setupAdmin, startTestApp, type TestApp } from '../../../../test/support/test-app.ts';
import { noise, sceneWithSubject } from '../imaging/test-images.ts';

/**
 * Admission and answer limits through the routes: a full pixel budget makes image requests wait
 * briefly and then answer 503 with Retry-After; an answer that would carry more image bytes than
 * MAX_ANSWER_MB is refused with 413 before anything is saved.
 */
let t: TestApp;
let token: string;

beforeAll(async () => {
  t = await startTestApp({
    env: { IMAGE_PIXEL_BUDGET_MEGAPIXELS: '1', IMAGE_QUEUE_MS: '50', MAX_ANSWER_MB: '0.25' },
  });
  token = (await setupAdmin(t.app)).token;
});
afterAll(async () => {
  await t?.close();
});

const post = (url: string, payload: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url, headers: bearer(token), payload });

const countAssets = async () =>
  (await t.app.inject({ url: '/api/content-assets?limit=100', headers: bearer(token) })).json<{
    total: number;
  }>().total;

const dataFiles = () =>
  readdirSync(t.dataDir, { recursive: true, withFileTypes: true }).filter(
    (d) => d.isFile() && !d.name.startsWith('studio.db'),
  ).length;

/** Holds the whole pixel budget until the returned function is called. */
async function fillBudget(): Promise<() => Promise<void>> {
  let release!: () => void;
  const held = t.ctx.admission.request(
    Number.MAX_SAFE_INTEGER,
    () => new Promise<void>((r) => (release = r)),
  );
  await new Promise((r) => setImmediate(r));
  expect(t.ctx.admission.pixelsInFlight).toBe(1_000_000);
  return async () => {
    release();
    await held;
  };
}

describe('image requests under a full pixel budget', () => {
  it('answers 503 server_busy with Retry-After for convert, compress, social and a whole batch', async () => {
    const png = (await sceneWithSubject(300, 200, { left: 20, top: 20, width: 60, height: 60 })).toString(
      'base64',
    );
    const assetsBefore = await countAssets();
    const release = await fillBudget();
    try {
      const calls = [
        post('/api/image-studio/convert-format', { image_base64: png, target_format: 'webp' }),
        post('/api/image-studio/compress', { image_base64: png, format: 'jpeg' }),
        post('/api/image-studio/social/optimize', { image_base64: png, platforms: ['instagram'] }),
        post('/api/image-studio/convert-format/batch', {
          images: [
            { image_base64: png, target_format: 'png' },
            { image_base64: png, target_format: 'jpeg' },
          ],
        }),
      ];
      for (const res of await Promise.all(calls)) {
        expect(res.statusCode, res.body).toBe(503);
        expect(res.json().error.code).toBe('server_busy');
        expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      }
    } finally {
      await release();
    }
    expect(await countAssets()).toBe(assetsBefore);

    const after = await post('/api/image-studio/convert-format', {
      image_base64: png,
      target_format: 'webp',
    });
    expect(after.statusCode).toBe(200);
    expect(t.ctx.admission.pixelsInFlight).toBe(0);
  });

  it('runs a request that was queued once the budget frees up within the wait', async () => {
    const png = (await sceneWithSubject(200, 100, { left: 10, top: 10, width: 40, height: 40 })).toString(
      'base64',
    );
    const release = await fillBudget();
    const queued = post('/api/image-studio/convert-format', { image_base64: png, target_format: 'png' });
    await new Promise((r) => setTimeout(r, 5));
    await release();
    const res = await queued;
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().width).toBe(200);
  });
});

describe('answers with too many image bytes', () => {
  it('refuses a social export with include_base64 past MAX_ANSWER_MB, saving nothing', async () => {
    const photo = (await noise(1600, 1600, 'jpeg')).toString('base64');
    const assetsBefore = await countAssets();
    const filesBefore = dataFiles();
    const res = await post('/api/image-studio/social/optimize', {
      image_base64: photo,
      platforms: ['instagram'],
      all_formats: true,
      output_format: 'png',
      include_base64: true,
    });
    expect(res.statusCode, res.body).toBe(413);
    const error = res.json().error;
    expect(error.code).toBe('output_too_large');
    expect(error.details.limit_bytes).toBe(Math.round(0.25 * 1024 * 1024));
    expect(error.details.produced_bytes).toBeGreaterThan(error.details.limit_bytes);
    expect(error.message).toContain(`${error.details.produced_bytes} bytes`);
    expect(await countAssets()).toBe(assetsBefore);
    expect(dataFiles()).toBe(filesBefore);

    // The same export without base64 in the answer (the default is to include it) carries only URLs.
    const urls = await post('/api/image-studio/social/optimize', {
      image_base64: photo,
      platforms: ['instagram'],
      all_formats: true,
      output_format: 'png',
      include_base64: false,
    });
    expect(urls.statusCode, urls.body).toBe(200);

    // As a ZIP the answer carries no base64 (nor previews), whatever include_base64 says.
    const zip = await t.app.inject({
      method: 'POST',
      url: '/api/image-studio/social/optimize?download=zip',
      headers: bearer(token),
      payload: {
        image_base64: photo,
        platforms: ['instagram'],
        all_formats: true,
        output_format: 'png',
        show_safe_zones: true,
      },
    });
    expect(zip.statusCode, zip.body.slice(0, 300)).toBe(200);
    expect(zip.headers['content-type']).toBe('application/zip');
  });

  it('refuses a compress batch once its outputs together pass the limit', async () => {
    const png = (await noise(400, 400, 'png')).toString('base64');
    const res = await post('/api/image-studio/compress/batch', {
      images: Array.from({ length: 5 }, () => ({ image_base64: png, format: 'png', quality: 100 })),
    });
    expect(res.statusCode, res.body).toBe(413);
    expect(res.json().error.code).toBe('output_too_large');
  });
});
