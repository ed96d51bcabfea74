import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MAGIC } from '../../../../../test/fakes/fake-server.ts';
import { caught, fastOptions, testImage } from '../../../../../test/fakes/testing.ts';
import { WavespeedFake } from '../../../../../test/fakes/wavespeed.ts';
import { isFallbackWorthy } from '../errors.ts';
import type { ImageProvider, ProviderRequest } from '../types.ts';
import { createWavespeedProvider } from './client.ts';

const fake = new WavespeedFake({ validKeys: ['ws-good', 'inactive-1'], pollsBeforeDone: 2 });
let provider: ImageProvider;
const auth = { apiKey: 'ws-good' };

beforeAll(async () => {
  provider = createWavespeedProvider(fastOptions(await fake.start()));
});
afterAll(() => fake.stop());
beforeEach(() => fake.reset());

const run = (req: ProviderRequest) => provider.run(req, auth);
const posts = () => fake.requests.filter((r) => r.method === 'POST');

describe('wavespeed', () => {
  it('submits Ideogram JSON with bearer auth, polls until completed and downloads the output', async () => {
    const r = await run({
      operation: 'create',
      model: 'ideogram-ai/ideogram-v3-turbo',
      prompt: 'sale poster',
      width: 1080,
      height: 1920,
      stylePreset: 'photographic',
    });
    const submit = fake.requests[0]!;
    expect(submit.path).toBe('/api/v3/ideogram-ai/ideogram-v3-turbo');
    expect(submit.headers.authorization).toBe('Bearer ws-good');
    expect(submit.headers['content-type']).toBe('application/json');
    expect(submit.json).toEqual({ prompt: 'sale poster', aspect_ratio: '9:16', style: 'Realistic' });
    const polls = fake.requests.filter((q) => q.path.startsWith('/api/v3/predictions/'));
    expect(polls).toHaveLength(3);
    expect(
      polls.every((p) => p.path.endsWith('/result') && p.headers.authorization === 'Bearer ws-good'),
    ).toBe(true);
    const download = fake.requests[fake.requests.length - 1]!;
    expect(download.path).toMatch(/^\/outputs\//);
    expect(download.headers.authorization).toBeUndefined();
    expect([r.width, r.height]).toEqual([736, 1312]);
    expect(r.costCredits).toBe(3);
    expect(r.requestId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('sends Qwen sizes as W*H within bounds, with seed and format', async () => {
    const r = await run({
      operation: 'create',
      model: 'wavespeed-ai/qwen-image/text-to-image',
      prompt: 'cat',
      width: 1920,
      height: 1080,
      seed: 7,
      outputFormat: 'jpeg',
    });
    expect(posts()[0]!.json).toEqual({ prompt: 'cat', size: '1536*864', seed: 7, output_format: 'jpeg' });
    expect([r.width, r.height, r.mime, r.seed]).toEqual([1536, 864, 'image/jpeg', 7]);
  });

  it('uploads edit inputs and passes their URLs (images[] for edit-plus)', async () => {
    const img = await testImage(300, 200);
    const r = await run({
      operation: 'edit.general_edit',
      model: 'wavespeed-ai/qwen-image/edit-plus',
      prompt: 'make it blue',
      image: img,
      referenceImage: img,
    });
    const uploads = posts().filter((p) => p.path === '/api/v3/media/upload/binary');
    expect(uploads).toHaveLength(2);
    expect(uploads[0]!.files?.file?.type).toBe('image/png');
    const submit = posts().find((p) => p.path.endsWith('/edit-plus'))!;
    const body = submit.json as { images: string[]; size: string };
    expect(body.images).toHaveLength(2);
    expect(body.size).toBe('384*256');
    expect([r.width, r.height]).toEqual([384, 256]);
  });

  it('single-image Qwen edit sends `image`; 2512 answers JPEG by default', async () => {
    const img = await testImage(256, 256);
    await run({
      operation: 'edit.general_edit',
      model: 'wavespeed-ai/qwen-image/edit',
      prompt: 'sepia',
      image: img,
      seed: 5,
    });
    const submit = posts().find((p) => p.path.endsWith('/qwen-image/edit'))!;
    expect(submit.json).toMatchObject({ prompt: 'sepia', size: '256*256', seed: 5 });
    expect(typeof (submit.json as { image: unknown }).image).toBe('string');
    const r = await run({
      operation: 'create',
      model: 'wavespeed-ai/qwen-image/text-to-image-2512',
      prompt: 'x',
      aspectRatio: '3:2',
    });
    expect(r.mime).toBe('image/jpeg');
    expect(r.width / r.height).toBeCloseTo(1.5, 1);
  });

  it('a failed task with an NSFW error → content_moderated, no fallback', async () => {
    const err = await caught(
      run({
        operation: 'create',
        model: 'wavespeed-ai/qwen-image/text-to-image',
        prompt: `x ${MAGIC.moderation}`,
      }),
    );
    expect([err.status, err.code]).toEqual([422, 'content_moderated']);
    expect(isFallbackWorthy(err)).toBe(false);
    expect(posts()).toHaveLength(1);
  });

  it('has_nsfw_contents → content_moderated', async () => {
    const err = await caught(
      run({
        operation: 'create',
        model: 'wavespeed-ai/qwen-image/text-to-image',
        prompt: `x ${MAGIC.filtered}`,
      }),
    );
    expect(err.code).toBe('content_moderated');
  });

  it('a failed task for another reason is an outage worth falling back from', async () => {
    fake.failNextTask('model worker crashed');
    const err = await caught(
      run({ operation: 'create', model: 'wavespeed-ai/qwen-image/text-to-image', prompt: 'x' }),
    );
    expect(err.code).toBe('provider_unavailable');
    expect(isFallbackWorthy(err)).toBe(true);
  });

  it('bad key → provider_auth; a key never topped up → provider_quota', async () => {
    const bad = await caught(
      provider.run(
        { operation: 'create', model: 'wavespeed-ai/qwen-image/text-to-image', prompt: 'x' },
        { apiKey: 'nope' },
      ),
    );
    expect([bad.status, bad.code]).toEqual([502, 'provider_auth']);
    const inactive = await caught(
      provider.run(
        { operation: 'create', model: 'wavespeed-ai/qwen-image/text-to-image', prompt: 'x' },
        { apiKey: 'inactive-1' },
      ),
    );
    expect(inactive.code).toBe('provider_quota');
  });

  it('429 on submit is retried after Retry-After; 500 on submit is not', async () => {
    fake.failNext({ status: 429, retryAfter: 0, match: /^POST / });
    await run({ operation: 'create', model: 'wavespeed-ai/qwen-image/text-to-image', prompt: 'x' });
    expect(posts()).toHaveLength(2);
    fake.reset();
    fake.failNext({ status: 500, match: /^POST / });
    const err = await caught(
      run({ operation: 'create', model: 'wavespeed-ai/qwen-image/text-to-image', prompt: 'x' }),
    );
    expect(err.code).toBe('provider_unavailable');
    expect(posts()).toHaveLength(1);
  });

  it('5xx on polls is retried without re-submitting', async () => {
    fake.failNext({ status: 503, match: /^GET \/api\/v3\/predictions/, times: 2 });
    const r = await run({ operation: 'create', model: 'wavespeed-ai/qwen-image/text-to-image', prompt: 'x' });
    expect(r.width).toBe(1024);
    expect(posts()).toHaveLength(1);
  });

  it('unknown input fields are rejected with the accepted list', async () => {
    const err = await caught(
      run({ operation: 'edit.general_edit', model: 'wavespeed-ai/qwen-image/edit', prompt: 'x' }),
    );
    expect(err.code).toBe('provider_rejected');
  });

  it('testConnection distinguishes a bad key', async () => {
    await provider.testConnection?.(auth);
    const err = await caught(provider.testConnection!({ apiKey: 'nope' }));
    expect(err.code).toBe('provider_auth');
  });
});

describe('wavespeed account limits', () => {
  it('a per-minute image quota answers 429 with Retry-After beyond the client wait limit', async () => {
    fake.imagesPerMinute.max = 1;
    try {
      await run({ operation: 'create', model: 'wavespeed-ai/qwen-image/text-to-image', prompt: 'one' });
      const err = await caught(
        run({ operation: 'create', model: 'wavespeed-ai/qwen-image/text-to-image', prompt: 'two' }),
      );
      expect([err.status, err.code]).toEqual([429, 'rate_limited']);
      expect(Number(err.headers?.['retry-after'])).toBeGreaterThan(5);
    } finally {
      fake.imagesPerMinute.max = Number.POSITIVE_INFINITY;
    }
  });
});
