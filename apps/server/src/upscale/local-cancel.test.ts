import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { hasPostgres } from '../../../../test/support/backends.ts';
import { b64, pngOf, type StudioTestApp, startStudioApp } from '../edit/testing/studio-app.ts';
import { modelProcess } from '../imaging/local/onnx/model-process.ts';
import { isAlive } from '../imaging/local/testing/process-alive.ts';
import { naturalTexture } from '../imaging/local/testing/synthetic-images.ts';

const UPSCALE = '/api/image-studio/upscale';
const dialects = hasPostgres() ? (['sqlite', 'postgres'] as const) : (['sqlite'] as const);

interface JobView {
  status: string;
  result: unknown;
  error: { code: string } | null;
}

describe.each(dialects)('canceling a local super-resolution job (%s)', (dialect) => {
  let s: StudioTestApp;
  beforeAll(async () => {
    s = await startStudioApp({ dialect });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('stops the tile in flight: the job ends canceled, the model process is gone, nothing stored or charged; the next upscale runs', async () => {
    // 256² is one model tile of seconds of CPU: the cancel lands while it runs.
    const { status, body } = await s.post(UPSCALE, {
      image_base64: b64(await pngOf(naturalTexture(256, 256, 5))),
      mode: 'conservative',
      target_width: 1024,
      target_height: 1024,
      async: true,
    });
    expect(status, JSON.stringify(body.error)).toBe(202);
    const jobId = body.job_id!;
    const assets = await s.assetCount();
    const balance = await s.balance();
    await vi.waitFor(() => expect(modelProcess.running).toBe(true), { timeout: 120_000, interval: 5 });
    const pid = modelProcess.pid!;

    const cancel = await s.t.app.inject({
      method: 'POST',
      url: `/api/jobs/${jobId}/cancel`,
      headers: { authorization: `Bearer ${s.token}` },
    });
    expect(cancel.json()).toMatchObject({ status: 'canceled', error: { code: 'canceled' } });
    await expect.poll(() => isAlive(pid), { timeout: 30_000 }).toBe(false);
    // The handler has let go of its admission once its upscale promise settled.
    await expect.poll(() => s.t.ctx.admission.pixelsInFlight, { timeout: 30_000 }).toBe(0);
    expect(modelProcess.running).toBe(false);
    const job = await s.get<JobView>(`/api/jobs/${jobId}`);
    expect(job).toMatchObject({ status: 'canceled', result: null, error: { code: 'canceled' } });
    expect(await s.assetCount()).toBe(assets);
    expect(await s.balance()).toBe(balance);

    const next = await s.post(UPSCALE, {
      image_base64: b64(await pngOf(naturalTexture(40, 30, 4))),
      mode: 'conservative',
      target_width: 160,
      target_height: 120,
    });
    expect(next.status, JSON.stringify(next.body.error)).toBe(200);
    expect(next.body).toMatchObject({ model: 'esrgan-thick-4x', width: 160, height: 120 });
    expect(modelProcess.pid).not.toBe(pid);
  }, 240_000);
});
