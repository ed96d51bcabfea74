import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { b64, gradientPng, type StudioTestApp, startStudioApp } from '../edit/testing/studio-app.ts';
import { BlobNotFoundError, type BlobStore } from '../storage/blob-store.ts';
import { StudioIo } from './studio-io.ts';
import { presentResult } from './studio-result.ts';

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const fromDataUrl = (url: string | undefined) => Buffer.from((url ?? '').split(',')[1] ?? '', 'base64');

/** Blob reads refused for every sha not in `readable` while `guarded` (a result read back would fail). */
const readable = new Set<string>();
let guarded = false;
const guard = (inner: BlobStore): BlobStore =>
  Object.assign(Object.create(inner) as BlobStore, {
    get: async (s: string) => {
      if (guarded && !readable.has(s)) throw new BlobNotFoundError(s);
      return inner.get(s);
    },
  });

let s: StudioTestApp;
beforeAll(async () => {
  s = await startStudioApp({ wrapBlobs: guard });
});
afterAll(async () => {
  await s?.close();
  guarded = false;
});

describe('a synchronous studio answer', () => {
  it('comes from the bytes the job just made, not from storage; another process reads storage', async () => {
    const input = await gradientPng(40, 30);
    readable.add(sha(input));
    guarded = true;
    const { status, body } = await s.post('/api/image-studio/upscale', {
      image_base64: b64(input),
      mode: 'fast',
      target_width: 80,
    });
    guarded = false;
    expect(status, JSON.stringify(body.error)).toBe(200);
    const answered = fromDataUrl(body.image_base64);
    expect(answered.length).toBeGreaterThan(0);
    const stored = await s.t.ctx.assets.bytes(s.userId, body.asset_id ?? 0);
    expect(answered.equals(stored)).toBe(true);

    // A route in another process holds no bytes for this job: it reads them from storage.
    const elsewhere = new StudioIo({
      assets: s.t.ctx.assets,
      limits: s.t.ctx.config.limits,
      maxAnswerBytes: s.t.ctx.config.imageWork.maxAnswerBytes,
    });
    const result = {
      asset_id: body.asset_id ?? 0,
      input_asset_id: body.input_asset_id ?? 0,
      operation: 'upscale.fast',
      provider: 'local',
      model: 'lanczos3',
      width: 80,
      height: 60,
      mime: 'image/png',
      cost_credits: 0,
      metadata: {},
    };
    guarded = true;
    readable.add(sha(stored));
    const shown = await presentResult(elsewhere, s.userId, body.job_id ?? '', result);
    readable.delete(sha(stored));
    const refused = presentResult(elsewhere, s.userId, body.job_id ?? '', result);
    await expect(refused).rejects.toThrow();
    guarded = false;
    expect(fromDataUrl(shown.image_base64).equals(stored)).toBe(true);
  });
});
