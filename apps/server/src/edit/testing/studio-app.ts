import sharp from 'sharp';
import { expect } from 'vitest';
import type { GeminiFake } from '../../../../../test/fakes/gemini.ts';
import type { StabilityFake } from '../../../../../test/fakes/stability.ts';
import type { WavespeedFake } from '../../../../../test/fakes/wavespeed.ts';
import { multipart } from '../../../../../test/hostile/harness.ts';
import {
  bearer,
  setupAdmin,
  startTestApp,
  type TestApp,
  type TestAppOptions,
} from '../../../../../test/support/test-app.ts';
import type { RawImage } from '../../imaging/local/raw-image.ts';

/** Fast retries and polls so provider fakes answer in milliseconds. */
export const FAST_CLIENT = {
  retry: { baseDelayMs: 1, maxDelayMs: 5, maxAttempts: 3, maxRetryAfterMs: 5000 },
  poll: { intervalMs: 1, timeoutMs: 5000 },
  breaker: { failureThreshold: 1000, cooldownMs: 1000 },
};

export interface StudioTestApp {
  t: TestApp;
  token: string;
  userId: number;
  post(url: string, payload: Record<string, unknown>): Promise<{ status: number; body: StudioBody }>;
  /** multipart/form-data: text fields and file parts (PNG bytes by part name). */
  postForm(
    url: string,
    fields: Record<string, string>,
    files: Record<string, Buffer>,
  ): Promise<{ status: number; body: StudioBody }>;
  get<T>(url: string): Promise<T>;
  balance(): Promise<number>;
  assetCount(): Promise<number>;
  close(): Promise<void>;
}

export interface StudioBody {
  success?: boolean;
  operation?: string;
  provider?: string;
  model?: string | null;
  mode?: string;
  image_base64?: string;
  width?: number;
  height?: number;
  metadata?: Record<string, unknown>;
  asset_id?: number;
  input_asset_id?: number;
  file_url?: string;
  job_id?: string;
  cost_credits?: number;
  notices?: Array<{ code: string; message: string }>;
  error?: { code: string; message: string };
}

/** A real app with the admin (granted credits) and, when given, the Stability, WaveSpeed and Gemini fakes. */
export async function startStudioApp(fakes?: {
  stability?: StabilityFake;
  wavespeed?: WavespeedFake;
  gemini?: GeminiFake;
  /** Wraps the blob store (a test that sees or refuses reads). */
  wrapBlobs?: TestAppOptions['wrapBlobs'];
  dialect?: TestAppOptions['dialect'];
}) {
  const env: Record<string, string> = {};
  if (fakes?.stability)
    Object.assign(env, { STABILITY_API_KEY: 'sk-test', STABILITY_BASE_URL: fakes.stability.baseUrl });
  if (fakes?.wavespeed)
    Object.assign(env, { WAVESPEED_API_KEY: 'ws-test', WAVESPEED_BASE_URL: fakes.wavespeed.baseUrl });
  if (fakes?.gemini) Object.assign(env, { GEMINI_API_KEY: 'gm-test', GEMINI_BASE_URL: fakes.gemini.baseUrl });
  const t = await startTestApp({
    env,
    providerClient: FAST_CLIENT,
    wrapBlobs: fakes?.wrapBlobs,
    dialect: fakes?.dialect,
  });
  const admin = await setupAdmin(t.app);
  const grant = await t.app.inject({
    method: 'POST',
    url: `/api/admin/users/${admin.userId}/credits`,
    headers: bearer(admin.token),
    payload: { amount: 10_000, reason: 'tests' },
  });
  expect(grant.statusCode).toBeLessThan(300);
  const app: StudioTestApp = {
    t,
    token: admin.token,
    userId: admin.userId,
    async post(url, payload) {
      const res = await t.app.inject({ method: 'POST', url, headers: bearer(admin.token), payload });
      return { status: res.statusCode, body: res.json<StudioBody>() };
    },
    async postForm(url, fields, files) {
      const form = multipart(
        fields,
        Object.entries(files).map(([name, bytes]) => ({ name, filename: `${name}.png`, bytes })),
      );
      const headers = { ...bearer(admin.token), ...form.headers };
      const res = await t.app.inject({ method: 'POST', url, headers, payload: form.payload });
      return { status: res.statusCode, body: res.json<StudioBody>() };
    },
    async get<T>(url: string) {
      return (await t.app.inject({ url, headers: bearer(admin.token) })).json<T>();
    },
    async balance() {
      return (await app.get<{ balance: number }>('/api/credits')).balance;
    },
    async assetCount() {
      return (await app.get<{ total: number }>('/api/content-assets?limit=1')).total;
    },
    close: () => t.close(),
  };
  return app;
}

export const b64 = (bytes: Buffer) => bytes.toString('base64');
export const dataUrlOf = (bytes: Buffer) => `data:image/png;base64,${bytes.toString('base64')}`;

export async function pngOf(
  img: RawImage | { data: Uint8Array; width: number; height: number },
): Promise<Buffer> {
  const channels = 'channels' in img ? img.channels : 1;
  return sharp(Buffer.from(img.data), { raw: { width: img.width, height: img.height, channels } })
    .png()
    .toBuffer();
}

/** Decodes a response's data URL to raw pixels (alpha kept when present). */
export async function decodeDataUrl(url: string | undefined): Promise<RawImage & { format: string }> {
  expect(url).toMatch(/^data:image\/(png|jpeg|webp);base64,/);
  const bytes = Buffer.from((url ?? '').slice((url ?? '').indexOf(',') + 1), 'base64');
  const meta = await sharp(bytes).metadata();
  const { data, info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
  return {
    data,
    width: info.width,
    height: info.height,
    channels: info.channels === 4 ? 4 : 3,
    format: meta.format ?? '',
  };
}

/** A flat-coloured PNG of the given size with a little gradient, so encoders have something to do. */
export async function gradientPng(width: number, height: number): Promise<Buffer> {
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      data[i] = (x * 255) / width;
      data[i + 1] = (y * 255) / height;
      data[i + 2] = 128;
    }
  return sharp(data, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
}
