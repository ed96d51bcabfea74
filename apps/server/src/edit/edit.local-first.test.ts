import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasPostgres } from '../../../../test/support/backends.ts';
import type { RawImage, RawMask } from '../imaging/local/raw-image.ts';
import { discMask, naturalTexture, rectMask } from '../imaging/local/testing/synthetic-images.ts';
import { b64, decodeDataUrl, pngOf, type StudioTestApp, startStudioApp } from './testing/studio-app.ts';

const EDIT = '/api/image-studio/edit';

/** Natural texture with a pure blue disc painted in (radius r at cx, cy). */
function blueBlob(width: number, height: number, cx: number, cy: number, r: number): RawImage {
  const img = naturalTexture(width, height, 11);
  const disc = discMask(width, height, cx, cy, r);
  for (let i = 0; i < width * height; i++) {
    if (disc.data[i]) img.data.set([20, 30, 235], i * 3);
  }
  return img;
}

const isBlue = (d: Uint8Array, p: number) => d[p + 2]! > d[p]! + 80 && d[p + 2]! > d[p + 1]! + 80;

/** Pixels farther than `margin` from the mask (the fill grows the mask by a few pixels). */
function outside(mask: RawMask, margin: number): number[] {
  const { width, height } = mask;
  const far: number[] = [];
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      let near = false;
      for (let dy = -margin; dy <= margin && !near; dy++)
        for (let dx = -margin; dx <= margin && !near; dx++) {
          const xx = x + dx;
          const yy = y + dy;
          near = xx >= 0 && yy >= 0 && xx < width && yy < height && mask.data[yy * width + xx]! > 0;
        }
      if (!near) far.push(y * width + x);
    }
  return far;
}

const dialects = hasPostgres() ? (['sqlite', 'postgres'] as const) : (['sqlite'] as const);

describe.each(dialects)('with no cloud key, what a local engine can serve runs locally (%s)', (dialect) => {
  let s: StudioTestApp;
  beforeAll(async () => {
    s = await startStudioApp({ dialect });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('inpaint with a prompt fills the mask from its surroundings, says the prompt was not used, charges nothing', async () => {
    const img = blueBlob(96, 96, 48, 48, 10);
    const mask = discMask(96, 96, 48, 48, 12);
    const before = await s.balance();
    const { status, body } = await s.post(EDIT, {
      image_base64: b64(await pngOf(img)),
      mask_base64: b64(await pngOf(mask)),
      operation: 'inpaint',
      prompt: 'a red hat',
      negative_prompt: 'blurry',
    });
    expect(status, JSON.stringify(body.error)).toBe(200);
    expect(body).toMatchObject({ provider: 'local', model: 'content-aware-fill', cost_credits: 0 });
    expect(body.notices?.map((n) => n.code)).toEqual(['prompt_ignored_local']);
    expect(body.notices?.[0]?.message).toMatch(/prompt was not used/);
    const out = await decodeDataUrl(body.image_base64);
    let blue = 0;
    for (let i = 0; i < 96 * 96; i++) if (isBlue(out.data, i * 3)) blue++;
    expect(blue).toBe(0);
    for (const i of outside(mask, 4)) {
      expect([out.data[i * 3], out.data[i * 3 + 1], out.data[i * 3 + 2]]).toEqual([
        img.data[i * 3],
        img.data[i * 3 + 1],
        img.data[i * 3 + 2],
      ]);
    }
    expect(await s.balance()).toBe(before);
    // The price the estimate gives for this local run is what it charged.
    const estimate = await s.post('/api/image-studio/estimate-cost', { operation: 'process.edit_inpaint' });
    expect(estimate.status).toBe(200);
    expect(estimate.body).toMatchObject({ provider: 'local', total_credits: 0 });
    // Asked as the cloud operation with no key, the estimate is the local run's too.
    const asCloud = await s.post('/api/image-studio/estimate-cost', {
      operation: 'edit.inpaint',
      provider: 'auto',
    });
    expect(asCloud.status).toBe(200);
    expect(asCloud.body).toMatchObject({
      provider: 'local',
      operation: 'process.edit_inpaint',
      total_credits: 0,
    });
    const cloudOnly = await s.post('/api/image-studio/estimate-cost', {
      operation: 'edit.search_replace',
      provider: 'auto',
    });
    expect(cloudOnly.status).toBe(409);
  });

  it('search_recolor with a mask and select_prompt recolours the mask only and says the name was not used', async () => {
    const img = naturalTexture(64, 64, 9);
    const mask = rectMask(64, 64, 16, 16, 24, 24);
    const before = await s.balance();
    const { status, body } = await s.post(EDIT, {
      image_base64: b64(await pngOf(img)),
      mask_base64: b64(await pngOf(mask)),
      operation: 'search_recolor',
      prompt: 'royalblue',
      select_prompt: 'the sofa',
    });
    expect(status, JSON.stringify(body.error)).toBe(200);
    expect(body).toMatchObject({ provider: 'local', model: 'oklab-recolor', cost_credits: 0 });
    expect(body.notices?.map((n) => n.code)).toEqual(['select_prompt_ignored_local']);
    const out = await decodeDataUrl(body.image_base64);
    let insideBlue = 0;
    for (let i = 0; i < 64 * 64; i++) {
      const p = i * 3;
      if (mask.data[i]) {
        if (out.data[p + 2]! > out.data[p]! && out.data[p + 2]! > out.data[p + 1]!) insideBlue++;
      } else {
        expect([out.data[p], out.data[p + 1], out.data[p + 2]]).toEqual([
          img.data[p],
          img.data[p + 1],
          img.data[p + 2],
        ]);
      }
    }
    expect(insideBlue).toBe(24 * 24);
    expect(await s.balance()).toBe(before);
  });

  it('outpaint with a prompt extends locally; the async job result carries the notice', async () => {
    const img = naturalTexture(48, 40, 3);
    const res = await s.post(EDIT, {
      image_base64: b64(await pngOf(img)),
      operation: 'outpaint',
      prompt: 'more sky',
      expand_up: 8,
      async: true,
    });
    expect(res.status).toBe(202);
    const jobId = (res.body as { job_id: string }).job_id;
    await s.t.ctx.jobs.waitFor(jobId);
    const job = await s.get<{ status: string; result: Record<string, unknown> }>(`/api/jobs/${jobId}`);
    expect(job).toMatchObject({
      status: 'succeeded',
      result: { provider: 'local', width: 48, height: 48, cost_credits: 0 },
    });
    expect(job.result.notices).toEqual([expect.objectContaining({ code: 'prompt_ignored_local' })]);
  });

  it('a local run without anything left out has no notices', async () => {
    const { status, body } = await s.post(EDIT, {
      image_base64: b64(await pngOf(blueBlob(64, 64, 32, 32, 6))),
      mask_base64: b64(await pngOf(discMask(64, 64, 32, 32, 8))),
      operation: 'erase',
    });
    expect(status, JSON.stringify(body.error)).toBe(200);
    expect(body.notices).toEqual([]);
  });

  it('provider local without a mask to recolour is a 400 naming the mask, before anything is stored', async () => {
    const assets = await s.assetCount();
    const { status, body } = await s.post(EDIT, {
      image_base64: b64(await pngOf(naturalTexture(32, 32, 1))),
      operation: 'search_recolor',
      prompt: 'red',
      select_prompt: 'the car',
      provider: 'local',
    });
    expect(status).toBe(400);
    expect(body.error?.code).toBe('validation_failed');
    expect(body.error?.message).toMatch(/needs a mask/);
    expect(await s.assetCount()).toBe(assets);
  });

  it.each([
    [{ operation: 'search_recolor', prompt: 'red', select_prompt: 'the car' }, 'no mask to recolour'],
    [{ operation: 'search_recolor', prompt: 'sunset-ish', select_prompt: 'car', mask: true }, 'not a colour'],
    [{ operation: 'inpaint', prompt: 'a hat', provider: 'stability', mask: true }, 'a cloud provider named'],
    [{ operation: 'search_replace', prompt: 'a dog', search_prompt: 'cat' }, 'cloud only'],
    [{ operation: 'general_edit', prompt: 'winter' }, 'cloud only'],
  ])('%o (%s) still answers 409 no_provider, storing and charging nothing', async (payload, _why) => {
    const { mask: withMask, ...fields } = payload as Record<string, unknown>;
    const assets = await s.assetCount();
    const balance = await s.balance();
    const { status, body } = await s.post(EDIT, {
      image_base64: b64(await pngOf(naturalTexture(32, 32, 1))),
      ...fields,
      ...(withMask ? { mask_base64: b64(await pngOf(rectMask(32, 32, 4, 4, 8, 8))) } : {}),
    });
    expect(status).toBe(409);
    expect(body.error?.code).toBe('no_provider');
    expect(body.error?.message).toMatch(/_API_KEY|HF_TOKEN/);
    expect(await s.assetCount()).toBe(assets);
    expect(await s.balance()).toBe(balance);
  });
});
