import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MAGIC } from '../../../../../test/fakes/fake-server.ts';
import { HuggingfaceFake } from '../../../../../test/fakes/huggingface.ts';
import { caught, fastOptions } from '../../../../../test/fakes/testing.ts';
import type { ImageProvider, ProviderRequest } from '../types.ts';
import { createHuggingfaceProvider } from './client.ts';

const fake = new HuggingfaceFake({ validKeys: ['hf_good', 'broke'] });
let provider: ImageProvider;
const auth = { apiKey: 'hf_good' };
const schnell: ProviderRequest = {
  operation: 'create',
  model: 'black-forest-labs/FLUX.1-schnell',
  prompt: 'a lighthouse',
};

beforeAll(async () => {
  provider = createHuggingfaceProvider(fastOptions(await fake.start()));
});
afterAll(() => fake.stop());
beforeEach(() => {
  fake.reset();
  fake.coldStarts = 0;
});

describe('huggingface', () => {
  it('posts {inputs, parameters} with bearer auth and returns the image bytes', async () => {
    const r = await provider.run({ ...schnell, width: 1200, height: 628, seed: 3, steps: 4 }, auth);
    const req = fake.requests[0]!;
    expect(req.path).toBe('/hf-inference/models/black-forest-labs/FLUX.1-schnell');
    expect(req.headers.authorization).toBe('Bearer hf_good');
    expect(req.json).toEqual({
      inputs: 'a lighthouse',
      parameters: { width: 1200, height: 624, seed: 3, num_inference_steps: 4 },
    });
    expect([r.width, r.height, r.mime]).toEqual([1200, 624, 'image/jpeg']);
    expect(r.requestId).toBeTruthy();
  });

  it('sends guidance only to models that take it', async () => {
    await provider.run({ ...schnell, guidance: 3.5 }, auth);
    expect((fake.requests[0]!.json as { parameters: object }).parameters).not.toHaveProperty(
      'guidance_scale',
    );
    await provider.run({ ...schnell, model: 'black-forest-labs/FLUX.1-dev', guidance: 3.5 }, auth);
    expect((fake.requests[1]!.json as { parameters: object }).parameters).toHaveProperty(
      'guidance_scale',
      3.5,
    );
  });

  it('waits for a loading model (503 + estimated_time) and re-sends', async () => {
    fake.coldStarts = 2;
    const r = await provider.run(schnell, auth);
    expect(r.width).toBe(1024);
    expect(fake.requests).toHaveLength(3);
  });

  it('maps 401 → provider_auth, 402 → provider_quota, gated/moderation correctly', async () => {
    expect((await caught(provider.run(schnell, { apiKey: 'hf_bad' }))).code).toBe('provider_auth');
    expect((await caught(provider.run(schnell, { apiKey: 'broke' }))).code).toBe('provider_quota');
    const mod = await caught(provider.run({ ...schnell, prompt: `x ${MAGIC.moderation}` }, auth));
    expect([mod.status, mod.code]).toEqual([422, 'content_moderated']);
  });

  it('a plain 500 is not re-sent; 429 honours Retry-After', async () => {
    fake.failNext({ status: 500 });
    expect((await caught(provider.run(schnell, auth))).code).toBe('provider_unavailable');
    expect(fake.requests).toHaveLength(1);
    fake.reset();
    fake.failNext({ status: 429, retryAfter: 0 });
    await provider.run(schnell, auth);
    expect(fake.requests).toHaveLength(2);
  });

  it('reads text/plain error bodies', async () => {
    const textFake = new HuggingfaceFake({ textErrors: true });
    const p = createHuggingfaceProvider(fastOptions(await textFake.start()));
    const err = await caught(p.run({ ...schnell, prompt: '' }, { apiKey: 'k' }));
    expect(err.code).toBe('provider_rejected');
    const err2 = await caught(p.run(schnell, { apiKey: 'bad' }));
    expect(err2.code).toBe('provider_auth');
    await textFake.stop();
  });

  it('testConnection accepts a good token and refuses a bad one', async () => {
    await provider.testConnection?.(auth);
    expect((await caught(provider.testConnection!({ apiKey: 'hf_bad' }))).code).toBe('provider_auth');
  });
});
