import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, bearer } from '../../../../test/support/test-app.ts';
import type { RawImage } from '../imaging/local/raw-image.ts';
import { meanAlpha } from '../imaging/local/testing/metrics.ts';
import {
  discMask,
  naturalTexture,
  productScene,
  rectMask,
} from '../imaging/local/testing/synthetic-images.ts';
import {
  b64,
  decodeDataUrl,
  gradientPng,
  pngOf,
  type StudioTestApp,
  startStudioApp,
} from './testing/studio-app.ts';

// ISNet runs at 1024² whatever the input: a few seconds per call on two shared cores.
const MODEL_TIMEOUT = 120_000;
const EDIT = '/api/image-studio/edit';

let s: StudioTestApp;

beforeAll(async () => {
  s = await startStudioApp();
});
afterAll(async () => {
  await s?.close();
});

/** Natural texture with a pure blue disc painted in (radius r at cx, cy). */
function blueBlob(width: number, height: number, cx: number, cy: number, r: number): RawImage {
  const img = naturalTexture(width, height, 11);
  const disc = discMask(width, height, cx, cy, r);
  for (let i = 0; i < width * height; i++) {
    if (disc.data[i]) img.data.set([20, 30, 235], i * 3);
  }
  return img;
}

const isBlue = (d: Buffer, p: number) => d[p + 2]! > d[p]! + 80 && d[p + 2]! > d[p + 1]! + 80;

describe('local edit operations (no provider key)', () => {
  it(
    'remove_background leaves the subject opaque and the background transparent',
    async () => {
      const scene = await productScene();
      const small = await sharp(scene.data, { raw: { width: 512, height: 512, channels: 3 } })
        .resize(256, 256)
        .png()
        .toBuffer();
      const { status, body } = await s.post(EDIT, {
        image_base64: b64(small),
        operation: 'remove_background',
      });
      expect(status, JSON.stringify(body.error)).toBe(200);
      expect(body).toMatchObject({ provider: 'local', model: 'isnet', width: 256, height: 256 });
      const out = await decodeDataUrl(body.image_base64);
      expect(out.format).toBe('png');
      expect(out.channels).toBe(4);
      // The bottle spans x 98–158, y 32–226 at this scale; measured clear of its edges.
      expect(meanAlpha(out, 108, 95, 40, 110)).toBeGreaterThan(230);
      expect(meanAlpha(out, 8, 8, 70, 220)).toBeLessThan(15);
      expect(meanAlpha(out, 180, 8, 68, 220)).toBeLessThan(15);
    },
    MODEL_TIMEOUT,
  );

  it('erase of a masked blob leaves no trace of its colour; the mask may be any size', async () => {
    const img = blueBlob(128, 128, 64, 60, 14);
    const mask = discMask(64, 64, 32, 30, 8);
    const { status, body } = await s.post(EDIT, {
      image_base64: b64(await pngOf(img)),
      mask_base64: b64(await pngOf(mask)),
      operation: 'erase',
    });
    expect(status, JSON.stringify(body.error)).toBe(200);
    expect(body).toMatchObject({ provider: 'local', model: 'content-aware-fill', width: 128, height: 128 });
    const out = await decodeDataUrl(body.image_base64);
    let blue = 0;
    for (let i = 0; i < 128 * 128; i++) if (isBlue(out.data, i * out.channels)) blue++;
    expect(blue).toBe(0);
    // Far from the blob nothing changed.
    expect(out.data.subarray(0, 128 * 20 * 3).equals(img.data.subarray(0, 128 * 20 * 3))).toBe(true);
  });

  it('inpaint without a prompt fills locally, with grow_mask and feathering', async () => {
    const img = blueBlob(96, 96, 48, 48, 10);
    const { status, body } = await s.post(EDIT, {
      image_base64: b64(await pngOf(img)),
      mask_base64: b64(await pngOf(discMask(96, 96, 48, 48, 8))),
      operation: 'inpaint',
      options: { grow_mask: 4, feather: 2 },
    });
    expect(status, JSON.stringify(body.error)).toBe(200);
    expect(body.provider).toBe('local');
    const out = await decodeDataUrl(body.image_base64);
    let blue = 0;
    for (let i = 0; i < 96 * 96; i++) if (isBlue(out.data, i * out.channels)) blue++;
    expect(blue).toBe(0);
  });

  it('outpaint without a prompt has the requested size with the original pixels unchanged inside', async () => {
    const img = naturalTexture(80, 60, 5);
    const { status, body } = await s.post(EDIT, {
      image_base64: b64(await pngOf(img)),
      operation: 'outpaint',
      expand_left: 16,
      expand_right: 8,
      expand_up: null,
      expand_down: 12,
    });
    expect(status, JSON.stringify(body.error)).toBe(200);
    expect(body).toMatchObject({ provider: 'local', width: 104, height: 72 });
    const out = await decodeDataUrl(body.image_base64);
    expect([out.width, out.height]).toEqual([104, 72]);
    for (let y = 0; y < 60; y++) {
      const row = out.data.subarray((y * 104 + 16) * 3, (y * 104 + 16 + 80) * 3);
      expect(row.equals(img.data.subarray(y * 80 * 3, (y + 1) * 80 * 3))).toBe(true);
    }
  });

  it('search_recolor with a mask changes hue only inside the mask', async () => {
    const img = naturalTexture(64, 64, 9);
    const mask = rectMask(64, 64, 16, 16, 24, 24);
    const { status, body } = await s.post(EDIT, {
      image_base64: b64(await pngOf(img)),
      mask_base64: b64(await pngOf(mask)),
      operation: 'search_recolor',
      prompt: 'royalblue',
    });
    expect(status, JSON.stringify(body.error)).toBe(200);
    expect(body).toMatchObject({ provider: 'local', model: 'oklab-recolor' });
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
  });

  it(
    'replace_background composes the cut-out on a colour',
    async () => {
      const scene = await productScene();
      const small = await sharp(scene.data, { raw: { width: 512, height: 512, channels: 3 } })
        .resize(128, 128)
        .png()
        .toBuffer();
      const { status, body } = await s.post(EDIT, {
        image_base64: b64(small),
        operation: 'replace_background',
        options: { background_color: '#00ff00' },
        output_format: 'jpeg',
      });
      expect(status, JSON.stringify(body.error)).toBe(200);
      const out = await decodeDataUrl(body.image_base64);
      expect(out.format).toBe('jpeg');
      const corner = (4 * 128 + 4) * 3;
      expect(out.data[corner + 1]).toBeGreaterThan(230);
      expect(out.data[corner]).toBeLessThan(30);
      const bottle = (60 * 128 + 64) * 3;
      expect(out.data[bottle]).toBeGreaterThan(out.data[bottle + 1]!);
    },
    MODEL_TIMEOUT,
  );
});

describe('inputs, lineage and errors', () => {
  it('stores the base64 input once (sha256) and makes it the parent of every result', async () => {
    const png = await pngOf(blueBlob(64, 64, 32, 32, 6));
    const mask = b64(await pngOf(discMask(64, 64, 32, 32, 8)));
    const a = await s.post(EDIT, { image_base64: b64(png), mask_base64: mask, operation: 'erase' });
    const b = await s.post(EDIT, {
      image_base64: `data:image/png;base64,${b64(png)}`,
      mask_base64: mask,
      operation: 'erase',
    });
    expect(a.body.input_asset_id).toBeDefined();
    expect(b.body.input_asset_id).toBe(a.body.input_asset_id);
    const result = await s.get<{
      parent_ids: number[];
      source_module: string;
      operation: string;
      provider: string;
    }>(`/api/content-assets/${a.body.asset_id}`);
    expect(result).toMatchObject({
      parent_ids: [a.body.input_asset_id],
      source_module: 'edit',
      operation: 'edit.erase',
      provider: 'local',
    });
    expect(a.body.file_url).toContain(String(a.body.asset_id));
    expect(a.body.job_id).toMatch(/[0-9a-f-]{36}/);
    expect(a.body.cost_credits).toBe(0);

    const chained = await s.post(EDIT, { asset_id: a.body.asset_id, mask_base64: mask, operation: 'erase' });
    expect(chained.status).toBe(200);
    expect(chained.body.input_asset_id).toBe(a.body.asset_id);
  });

  it('accepts multipart: the image as `file`, the mask as `mask`, other fields as text', async () => {
    const boundary = '----edit';
    const text = (name: string, value: string) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
    const file = (name: string, bytes: Buffer) => [
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${name}.png"\r\nContent-Type: image/png\r\n\r\n`,
      ),
      bytes,
      Buffer.from('\r\n'),
    ];
    const payload = Buffer.concat([
      Buffer.from(text('operation', 'erase') + text('options', '{"grow_mask":3}')),
      ...file('file', await pngOf(blueBlob(64, 64, 32, 32, 6))),
      ...file('mask', await pngOf(discMask(64, 64, 32, 32, 8))),
      Buffer.from(`--${boundary}--\r\n`),
    ]);
    const res = await s.t.app.inject({
      method: 'POST',
      url: `${EDIT}/process`,
      headers: { ...bearer(s.token), 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload,
    });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    expect(res.json()).toMatchObject({ operation: 'erase', provider: 'local', width: 64, height: 64 });
  });

  it("answers 404 for another user's asset_id", async () => {
    const other = await addUser(s.t.app, s.token, 'other@example.com');
    const png = await gradientPng(32, 32);
    const up = await s.post(EDIT, {
      image_base64: b64(png),
      mask_base64: b64(await pngOf(discMask(32, 32, 16, 16, 4))),
      operation: 'erase',
    });
    const res = await s.t.app.inject({
      method: 'POST',
      url: EDIT,
      headers: bearer(other.token),
      payload: { asset_id: up.body.input_asset_id, operation: 'outpaint', expand_left: 8 },
    });
    expect(res.statusCode).toBe(404);
  });

  it('rejects bad input with 400 and writes nothing', async () => {
    const before = await s.assetCount();
    const img = b64(await gradientPng(48, 48));
    const blackMask = b64(await pngOf({ data: new Uint8Array(48 * 48), width: 48, height: 48 }));
    const whiteMask = b64(await pngOf({ data: new Uint8Array(48 * 48).fill(255), width: 48, height: 48 }));
    const cases: Array<Record<string, unknown>> = [
      { image_base64: img, operation: 'sharpen' },
      { image_base64: img, operation: 'outpaint' },
      { image_base64: img, operation: 'erase' },
      { image_base64: img, operation: 'erase', mask_base64: blackMask },
      { image_base64: img, operation: 'erase', mask_base64: 'not an image' },
      { image_base64: img, operation: 'remove_background', mask_base64: whiteMask },
      { image_base64: img, operation: 'general_edit' },
      { image_base64: img, operation: 'search_replace', prompt: 'a cat' },
      { image_base64: img, operation: 'search_recolor', mask_base64: whiteMask, prompt: 'not-a-colour' },
      { image_base64: img, operation: 'relight' },
      { operation: 'erase', mask_base64: whiteMask },
      { image_base64: img, operation: 'outpaint', expand_left: -4 },
    ];
    for (const payload of cases) {
      const { status, body } = await s.post(EDIT, payload);
      expect(status, `${JSON.stringify(payload).slice(0, 120)} → ${JSON.stringify(body.error)}`).toBe(400);
      expect(body.error?.message.length).toBeGreaterThan(10);
    }
    const notImage = await s.post(EDIT, { image_base64: 'Zm9v', operation: 'erase', mask_base64: whiteMask });
    expect(notImage.status).toBe(415);
    expect(await s.assetCount()).toBe(before);
  });

  it('async: true answers 202 with the job, which succeeds with the asset', async () => {
    const res = await s.post(EDIT, {
      image_base64: b64(await pngOf(naturalTexture(48, 48, 2))),
      operation: 'outpaint',
      expand_up: 8,
      async: true,
    });
    expect(res.status).toBe(202);
    const jobId = (res.body as { job_id: string }).job_id;
    await s.t.ctx.jobs.waitFor(jobId);
    const job = await s.get<{ status: string; result: { asset_id: number; width: number; height: number } }>(
      `/api/jobs/${jobId}`,
    );
    expect(job).toMatchObject({ status: 'succeeded', result: { width: 48, height: 56 } });
  });

  it('canceling a running erase stops the fill at once; the server answered meanwhile; nothing saved', async () => {
    const results = () =>
      s.t.ctx.db.kysely
        .selectFrom('assets')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('operation', '=', 'edit.erase')
        .executeTakeFirstOrThrow()
        .then((r) => Number(r.n));
    const before = await results();
    const res = await s.post(EDIT, {
      image_base64: b64(await pngOf(naturalTexture(1024, 1024, 4))),
      mask_base64: b64(await pngOf(rectMask(1024, 1024, 300, 300, 420, 420))),
      operation: 'erase',
      async: true,
    });
    expect(res.status).toBe(202);
    const jobId = (res.body as { job_id: string }).job_id;
    type JobView = { status: string; progress: number };
    let job = await s.get<JobView>(`/api/jobs/${jobId}`);
    while (job.status !== 'running' || job.progress < 15) {
      expect(job.status).not.toBe('succeeded');
      await new Promise((r) => setTimeout(r, 20));
      job = await s.get<JobView>(`/api/jobs/${jobId}`);
    }
    // The fill runs on its own thread: the API still answers while it works.
    const health = await s.t.app.inject({ url: '/api/image-studio/health' });
    expect(health.statusCode).toBe(200);
    expect((await s.get<JobView>(`/api/jobs/${jobId}`)).status).toBe('running');

    const cancel = await s.t.app.inject({
      method: 'POST',
      url: `/api/jobs/${jobId}/cancel`,
      headers: bearer(s.token),
    });
    expect(cancel.json()).toMatchObject({ status: 'canceled' });
    await s.t.ctx.jobs.waitFor(jobId).catch(() => undefined);
    expect((await s.get<JobView>(`/api/jobs/${jobId}`)).status).toBe('canceled');
    expect(await results()).toBe(before);

    // The next local fill gets a fresh thread and succeeds.
    const next = await s.post(EDIT, {
      image_base64: b64(await pngOf(blueBlob(96, 96, 48, 48, 10))),
      mask_base64: b64(await pngOf(discMask(96, 96, 48, 48, 12))),
      operation: 'erase',
    });
    expect(next.status, JSON.stringify(next.body.error)).toBe(200);
    expect(await results()).toBe(before + 1);
  });
});
