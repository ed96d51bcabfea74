import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, signInAdmin, startServer } from '../../../../test/support/server-process.ts';
import { bmpFileSize } from '../imaging/bmp.ts';

/**
 * Output amplification against the real server process, so a heap exhaustion would show as a dead
 * process rather than a failed assertion: a 7071×7071 solid PNG is ~200 KB of base64 but a 150 MB
 * BMP, and 20 of them in one JSON answer used to abort the process.
 */
const MB = 1024 * 1024;
const ANSWER_LIMIT = 100 * MB;

let server: RunningServer;
let auth: Record<string, string>;

const api = (url: string, init: RequestInit = {}) => fetch(`${server.baseUrl}${url}`, init);
const post = (url: string, body: unknown) =>
  api(url, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
const solidPng = (side: number) =>
  sharp({ create: { width: side, height: side, channels: 3, background: '#3366cc' } })
    .png({ compressionLevel: 9 })
    .toBuffer();

async function expectAlive(): Promise<void> {
  const health = await api('/api/image-studio/health');
  expect(health.status).toBe(200);
  expect(() => process.kill(server.pid, 0)).not.toThrow();
}

beforeAll(async () => {
  server = await startServer({ MAX_ANSWER_MB: String(ANSWER_LIMIT / MB) }, { web: false });
  auth = await signInAdmin(server);
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

interface ErrorBody {
  error: { code: string; message: string; details: { produced_bytes: number; limit_bytes: number } };
}

describe('answers that would carry too many image bytes', () => {
  it('refuses 20 × 7071² PNG → BMP in one batch with 413 and the numbers, and stays up', async () => {
    const png = await solidPng(7071);
    expect(png.length).toBeLessThan(512 * 1024);
    const item = { image_base64: png.toString('base64'), target_format: 'bmp' };
    const res = await post('/api/image-studio/convert-format/batch', { images: Array(20).fill(item) });
    expect(res.status).toBe(413);
    const body = (await res.json()) as ErrorBody;
    expect(body.error.code).toBe('output_too_large');
    // One BMP alone is over the limit, so it is refused from its pixel count before it is encoded.
    const oneBmp = bmpFileSize(7071, 7071);
    expect(body.error.details).toEqual({ produced_bytes: oneBmp, limit_bytes: ANSWER_LIMIT });
    expect(body.error.message).toContain(`${oneBmp} bytes`);
    expect(body.error.message).toContain(`${ANSWER_LIMIT} bytes`);
    await expectAlive();
  });

  it('counts the outputs of a batch together: the item that would pass the limit refuses the answer', async () => {
    const png = await solidPng(4000);
    const oneBmp = bmpFileSize(4000, 4000);
    const fits = Math.floor(ANSWER_LIMIT / oneBmp);
    expect(fits).toBeGreaterThan(0);
    const item = { image_base64: png.toString('base64'), target_format: 'bmp' };

    const within = await post('/api/image-studio/convert-format/batch', { images: Array(fits).fill(item) });
    expect(within.status).toBe(200);
    const ok = (await within.json()) as { successful: number; results: Array<{ width: number }> };
    expect(ok.successful).toBe(fits);
    expect(ok.results.map((r) => r.width)).toEqual(Array(fits).fill(4000));

    const over = await post('/api/image-studio/convert-format/batch', { images: Array(20).fill(item) });
    expect(over.status).toBe(413);
    const body = (await over.json()) as ErrorBody;
    expect(body.error.code).toBe('output_too_large');
    expect(body.error.details.produced_bytes).toBe((fits + 1) * oneBmp);
    await expectAlive();
  });

  it('bounds a single conversion by the bytes it produces, not the bytes sent', async () => {
    const png = await solidPng(7071);
    const one = await post('/api/image-studio/convert-format', {
      image_base64: png.toString('base64'),
      target_format: 'bmp',
    });
    expect(one.status).toBe(413);
    expect(((await one.json()) as ErrorBody).error.code).toBe('output_too_large');

    const small = await post('/api/image-studio/convert-format', {
      image_base64: (await solidPng(64)).toString('base64'),
      target_format: 'bmp',
    });
    expect(small.status).toBe(200);
    const body = (await small.json()) as { image_base64: string; width: number };
    expect(body.width).toBe(64);
    expect(Buffer.from(body.image_base64.split(',')[1] ?? '', 'base64').length).toBe(bmpFileSize(64, 64));
    await expectAlive();
  });
});
