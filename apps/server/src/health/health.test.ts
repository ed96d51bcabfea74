import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { hasRedis } from '../../../../test/support/backends.ts';
import { bearer, setupAdmin, startTestApp, type TestApp } from '../../../../test/support/test-app.ts';
import { detectorModelDir, esrganModelDir, isnetDistDir } from '../imaging/local/model-files.ts';
import { ocrModelDir } from '../imaging/local/ocr/ocr-models.ts';
import { loadFonts } from '../providers/local/fonts.ts';
import { HealthService } from './health.service.ts';
import { LocalChecks, type LocalCheckTargets } from './local-checks.ts';

/** A copy of an installed model folder: every file linked, except `drop` (left out) and `cut` (truncated). */
function modelCopy(from: string, options: { drop?: string; cut?: string } = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-model-'));
  for (const name of fs.readdirSync(from)) {
    if (name === options.drop) continue;
    if (name === options.cut) {
      fs.writeFileSync(path.join(dir, name), fs.readFileSync(path.join(from, name)).subarray(0, 1000));
    } else {
      fs.symlinkSync(path.join(from, name), path.join(dir, name));
    }
  }
  return dir;
}

/** The first chunk of ISNet's medium model, as its index names it. */
function firstIsnetChunk(): string {
  const index = z
    .object({ '/models/medium': z.object({ chunks: z.array(z.object({ hash: z.string() })).min(1) }) })
    .parse(JSON.parse(fs.readFileSync(path.join(isnetDistDir(), 'resources.json'), 'utf8')));
  return index['/models/medium'].chunks[0]?.hash ?? '';
}

const installed: LocalCheckTargets = {
  isnetDir: isnetDistDir,
  esrganDir: esrganModelDir,
  detectorDir: detectorModelDir,
  ocrDir: ocrModelDir,
  fonts: loadFonts,
};

describe('health', () => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await startTestApp({ env: { STABILITY_API_KEY: 'sk-test' } });
    token = (await setupAdmin(t.app)).token;
  });
  afterAll(async () => t?.close());

  const serviceWith = (targets: LocalCheckTargets, redis?: { ping(): Promise<unknown> }) =>
    new HealthService({
      db: t.ctx.db,
      blobs: t.ctx.blobs,
      needsSetup: () => t.ctx.auth.needsSetup(),
      runner: () => (redis ? 'bullmq' : 'inline'),
      redis,
      hasServerKey: (p) => p === 'wavespeed',
      local: new LocalChecks(targets),
    });

  it('reports the installed models whole, the server keys it holds, and tells anonymous callers only the status', async () => {
    const res = await t.app.inject({ url: '/api/image-studio/health', headers: bearer(token) });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.status).toBe('healthy');
    expect(body.local_models).toEqual({
      isnet: { status: 'ok' },
      esrgan: { status: 'ok' },
      detector: { status: 'ok' },
      ocr: { status: 'ok' },
      layout_fonts: { status: 'ok' },
    });
    expect(body.modules.social_optimizer).toBe('available');
    expect(body.modules.library).toBe('available');
    expect(body.providers).toEqual({
      stability: { configured: true },
      wavespeed: { configured: false },
      huggingface: { configured: false },
      gemini: { configured: false },
    });
    expect(body.modules.edit_studio).toBe('available');
    expect(body.modules.upscale_studio).toBe('available');
    expect(body.modules.providers).toBe('available');
    expect(body.jobs).toEqual({ runner: 'inline' });

    const anonymous = await t.app.inject({ url: '/api/image-studio/health' });
    expect(anonymous.json()).toEqual({ status: 'healthy', service: 'image_studio', needs_setup: false });
  });

  it('without any server key the provider module is degraded', async () => {
    const bare = await startTestApp();
    try {
      const admin = await setupAdmin(bare.app);
      const body = (
        await bare.app.inject({ url: '/api/image-studio/health', headers: bearer(admin.token) })
      ).json();
      expect(Object.values(body.providers)).toEqual([
        { configured: false },
        { configured: false },
        { configured: false },
        { configured: false },
      ]);
      expect(body.modules.providers).toBe('degraded');
      expect(body.modules.create_studio).toBe('available');
    } finally {
      await bare.close();
    }
  });

  it('a missing or truncated ISNet chunk degrades Edit and names the file', async () => {
    const chunk = firstIsnetChunk();
    const missing = await serviceWith({
      ...installed,
      isnetDir: () => modelCopy(isnetDistDir(), { drop: chunk }),
    }).report(true);
    expect(missing.local_models?.isnet).toEqual({
      status: 'error',
      error: `ISNet: model file ${chunk} is missing`,
    });
    expect(missing.modules?.edit_studio).toBe('degraded');
    expect(missing.modules?.upscale_studio).toBe('available');
    expect(missing.status).toBe('healthy');

    const cut = await serviceWith({
      ...installed,
      isnetDir: () => modelCopy(isnetDistDir(), { cut: chunk }),
    }).report(true);
    expect(cut.local_models?.isnet).toEqual({
      status: 'error',
      error: `ISNet: model file ${chunk} is truncated`,
    });
  });

  it('a missing model folder or weight shard degrades Upscale; missing fonts degrade Create', async () => {
    const gone = await serviceWith({
      ...installed,
      esrganDir: () => path.join(os.tmpdir(), 'studio-no-such-model'),
      fonts: () => {
        throw new Error('no fonts found under /usr/share/fonts; install fonts-dejavu-core');
      },
    }).report(true);
    expect(gone.local_models?.esrgan).toEqual({
      status: 'error',
      error: 'ESRGAN: model.json is missing or not JSON',
    });
    expect(gone.modules?.upscale_studio).toBe('degraded');
    expect(gone.local_models?.layout_fonts.status).toBe('error');
    expect(gone.modules?.create_studio).toBe('degraded');

    const shard = await serviceWith({
      ...installed,
      esrganDir: () => modelCopy(esrganModelDir(), { drop: 'group1-shard7of7.bin' }),
    }).report(true);
    expect(shard.local_models?.esrgan).toEqual({
      status: 'error',
      error: 'ESRGAN: model file group1-shard7of7.bin is missing',
    });
  });

  it('a missing or cut detector model degrades the Social Optimizer and the library; missing OCR the library only', async () => {
    const noObjects = await serviceWith({
      ...installed,
      detectorDir: () => modelCopy(detectorModelDir(), { drop: 'centernet.bin' }),
    }).report(true);
    expect(noObjects.local_models?.detector).toEqual({
      status: 'error',
      error: 'Detector: model file centernet.bin is missing',
    });
    expect(noObjects.modules?.social_optimizer).toBe('degraded');
    expect(noObjects.modules?.library).toBe('degraded');
    expect(noObjects.modules?.edit_studio).toBe('available');

    const cutPose = await serviceWith({
      ...installed,
      detectorDir: () => modelCopy(detectorModelDir(), { cut: 'movenet-lightning.bin' }),
    }).report(true);
    expect(cutPose.local_models?.detector).toEqual({
      status: 'error',
      error: 'Detector: weight shards hold 1000 of 4650216 bytes',
    });

    const noOcr = await serviceWith({
      ...installed,
      ocrDir: () => modelCopy(ocrModelDir(), { drop: 'ch_PP-OCRv4_rec_infer.onnx' }),
    }).report(true);
    expect(noOcr.local_models?.ocr).toEqual({
      status: 'error',
      error: 'PP-OCR: model file ch_PP-OCRv4_rec_infer.onnx is missing',
    });
    expect(noOcr.modules?.library).toBe('degraded');
    expect(noOcr.modules?.social_optimizer).toBe('available');
  });

  it('checks the model files once a minute, not on every call', async () => {
    let looks = 0;
    let now = 0;
    const isnetDir = () => {
      looks++;
      return isnetDistDir();
    };
    const checks = new LocalChecks({ ...installed, isnetDir }, () => now);
    checks.results();
    now = 59_000;
    checks.results();
    expect(looks).toBe(1);
    now = 61_000;
    checks.results();
    expect(looks).toBe(2);
  });

  it('a queue whose Redis does not answer makes the report degraded and the job studios unavailable', async () => {
    const redis = new Redis('redis://127.0.0.1:9', {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    redis.on('error', () => {});
    try {
      const report = await serviceWith(installed, redis).report(true);
      expect(report.status).toBe('degraded');
      expect(report.jobs?.queue?.status).toBe('error');
      expect(report.modules?.edit_studio).toBe('unavailable');
      expect(report.modules?.create_studio).toBe('unavailable');
      expect(report.modules?.compression).toBe('available');
    } finally {
      redis.disconnect();
    }
  });

  it.runIf(hasRedis())('a reachable queue is reported ok', async () => {
    const q = await startTestApp({ runner: 'bullmq' });
    try {
      const admin = await setupAdmin(q.app);
      const body = (
        await q.app.inject({ url: '/api/image-studio/health', headers: bearer(admin.token) })
      ).json();
      expect(body.jobs).toEqual({ runner: 'bullmq', queue: { status: 'ok' } });
      expect(body.status).toBe('healthy');
    } finally {
      await q.close();
    }
  });
});
