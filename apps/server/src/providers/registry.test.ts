import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MAGIC } from '../../../../test/fakes/fake-server.ts';
import { GeminiFake } from '../../../../test/fakes/gemini.ts';
import { HuggingfaceFake } from '../../../../test/fakes/huggingface.ts';
import { StabilityFake } from '../../../../test/fakes/stability.ts';
import { caught, testImage } from '../../../../test/fakes/testing.ts';
import { WavespeedFake } from '../../../../test/fakes/wavespeed.ts';
import type { Config } from '../config.ts';
import { createProviderRegistry, type ProviderKeys, type ProviderRegistry } from './registry.ts';
import { runWithFallback } from './runner.ts';
import { selectCandidates } from './selection.ts';

const stability = new StabilityFake({ asyncPolls: 0 });
const wavespeed = new WavespeedFake({ pollsBeforeDone: 0 });
const hf = new HuggingfaceFake();
const gemini = new GeminiFake();
const fakes = [stability, wavespeed, hf, gemini];
let config: Config['providers'];

const registryWith = (
  serverKeys: ProviderKeys,
  breaker = { failureThreshold: 3, cooldownMs: 60_000 },
  timeoutMs = 5000,
) =>
  createProviderRegistry(
    {
      ...config,
      stability: { ...config.stability, apiKey: serverKeys.stability },
      wavespeed: { ...config.wavespeed, apiKey: serverKeys.wavespeed },
      huggingface: { ...config.huggingface, apiKey: serverKeys.huggingface },
      gemini: { ...config.gemini, apiKey: serverKeys.gemini },
      timeoutMs,
    },
    {
      client: {
        retry: { baseDelayMs: 1, maxDelayMs: 2, maxAttempts: 2, maxRetryAfterMs: 1000 },
        breaker,
        poll: { intervalMs: 1, timeoutMs: 5000 },
      },
    },
  );

const ALL: ProviderKeys = { stability: 'sk', wavespeed: 'ws', huggingface: 'hf', gemini: 'g' };

beforeAll(async () => {
  const [s, w, h, g] = await Promise.all(fakes.map((f) => f.start()));
  config = {
    stability: { baseUrl: s! },
    wavespeed: { baseUrl: w! },
    huggingface: { baseUrl: h! },
    gemini: { baseUrl: g!, imagenEnabled: false },
    timeoutMs: 5000,
  };
});
afterAll(() => Promise.all(fakes.map((f) => f.stop())));
beforeEach(() => {
  for (const f of fakes) f.reset();
});

describe('availability', () => {
  it('uses the user key over the server key; local is always there', () => {
    const reg = registryWith({ stability: 'server-key' });
    const a = reg.availability({ stability: 'user-key', gemini: 'user-g' });
    expect(a.stability).toMatchObject({ available: true, keySource: 'user', auth: { apiKey: 'user-key' } });
    expect(a.gemini).toMatchObject({ available: true, keySource: 'user' });
    expect(a.wavespeed).toMatchObject({ available: false, keySource: 'none' });
    expect(a.wavespeed.reason).toMatch(/no API key/);
    expect(a.local).toMatchObject({ available: true });
    expect(reg.availability().stability).toMatchObject({
      keySource: 'server',
      auth: { apiKey: 'server-key' },
    });
  });

  it('sends the user key on the wire instead of the server key', async () => {
    const reg = registryWith({ stability: 'server-key' });
    const cands = selectCandidates(reg, reg.availability({ stability: 'user-key' }), {
      operation: 'create',
      provider: 'stability',
    });
    await runWithFallback(reg, cands, { operation: 'create', prompt: 'p' });
    expect(stability.requests[0]!.headers.authorization).toBe('Bearer user-key');
  });
});

describe('selection', () => {
  let reg: ProviderRegistry;
  beforeAll(() => {
    reg = registryWith({});
  });
  const pick = (input: Parameters<typeof selectCandidates>[2], userKeys: ProviderKeys = ALL) =>
    selectCandidates(reg, reg.availability(userKeys), input).map((c) => `${c.provider}:${c.model}`);

  it('orders auto create by quality, with every capable provider as fallback', () => {
    const std = pick({ operation: 'create', quality: 'standard' });
    expect(std[0]).toBe('wavespeed:wavespeed-ai/qwen-image/text-to-image-2512');
    expect(std[1]).toBe('stability:core');
    expect(new Set(std.map((c) => c.split(':')[0]))).toEqual(
      new Set(['wavespeed', 'stability', 'gemini', 'huggingface']),
    );
    expect(pick({ operation: 'create', quality: 'premium' })[0]).toBe(
      'wavespeed:ideogram-ai/ideogram-v3-quality',
    );
  });

  it('moves template-hinted candidates first', () => {
    expect(pick({ operation: 'create', quality: 'standard', templateHint: 'ideogram' })[0]).toBe(
      'wavespeed:ideogram-ai/ideogram-v3-balanced',
    );
    expect(pick({ operation: 'create', quality: 'draft', templateHint: 'stability' })[0]).toMatch(
      /^stability:/,
    );
  });

  it('an explicit provider or model is the only candidate', () => {
    expect(pick({ operation: 'create', provider: 'stability', quality: 'premium' })).toEqual([
      'stability:ultra',
    ]);
    expect(pick({ operation: 'create', model: 'gemini-3-pro-image' })).toEqual(['gemini:gemini-3-pro-image']);
  });

  it('an explicit provider without a key is 409 no_provider', async () => {
    const err = await caught(
      Promise.resolve().then(() => pick({ operation: 'create', provider: 'stability' }, {})),
    );
    expect([err.status, err.code]).toEqual([409, 'no_provider']);
  });

  it('falls back to the local layout only when no cloud provider is usable', () => {
    expect(pick({ operation: 'create' }, {})).toEqual(['local:layout']);
    expect(pick({ operation: 'create' })).not.toContain('local:layout');
  });

  it('edit operations go to providers that declare them; none available → no_provider', async () => {
    expect(pick({ operation: 'edit.erase' })).toEqual(['stability:erase']);
    expect(pick({ operation: 'edit.general_edit', quality: 'draft' })[0]).toMatch(
      /^wavespeed:wavespeed-ai\/qwen-image\/edit/,
    );
    const err = await caught(
      Promise.resolve().then(() => pick({ operation: 'edit.erase' }, { gemini: 'g' })),
    );
    expect(err.code).toBe('no_provider');
  });
});

describe('runner faults', () => {
  const keys: ProviderKeys = { wavespeed: 'ws', stability: 'sk' };
  const order = (reg: ProviderRegistry) =>
    selectCandidates(reg, reg.availability(keys), { operation: 'create', quality: 'standard' });

  it('500 × N on the first provider → falls back to the next capable one', async () => {
    const reg = registryWith(keys);
    wavespeed.failNext({ status: 500, times: 3, match: /^POST / });
    const out = await runWithFallback(reg, order(reg), {
      operation: 'create',
      prompt: 'shoes',
      width: 1080,
      height: 1080,
    });
    expect(out.result.provider).toBe('stability');
    expect(out.attempts.map((a) => [a.provider, a.ok, a.code])).toEqual([
      ['wavespeed', false, 'provider_unavailable'],
      ['stability', true, undefined],
    ]);
  });

  it('429 with Retry-After then success stays on the same provider', async () => {
    const reg = registryWith(keys);
    wavespeed.failNext({ status: 429, retryAfter: 0, match: /^POST / });
    const out = await runWithFallback(reg, order(reg), { operation: 'create', prompt: 'shoes' });
    expect(out.result.provider).toBe('wavespeed');
    expect(stability.requests).toHaveLength(0);
  });

  it('a timeout falls back without re-sending the paid POST', async () => {
    const reg = registryWith(keys, undefined, 1500);
    wavespeed.failNext({ hang: true, match: /^POST / });
    const out = await runWithFallback(reg, order(reg), { operation: 'create', prompt: 'shoes' });
    expect(out.result.provider).toBe('stability');
    expect(wavespeed.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it('moderation → no retry, no fallback', async () => {
    const reg = registryWith(keys);
    const err = await caught(
      runWithFallback(reg, order(reg), { operation: 'create', prompt: `x ${MAGIC.moderation}` }),
    );
    expect(err.code).toBe('content_moderated');
    expect(wavespeed.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
    expect(stability.requests).toHaveLength(0);
  });

  it('the user own bad request → no fallback', async () => {
    const reg = registryWith({ stability: 'sk' });
    const cands = selectCandidates(reg, reg.availability(), { operation: 'edit.inpaint' });
    const err = await caught(
      runWithFallback(reg, cands, { operation: 'edit.inpaint', prompt: 'x', image: await testImage() }),
    );
    expect(err.code).toBe('provider_rejected');
  });

  it('an open circuit moves the provider last and it recovers after the cooldown', async () => {
    // A cooldown long enough that a loaded machine cannot reach it between the failures and the check.
    const reg = registryWith(keys, { failureThreshold: 2, cooldownMs: 3000 });
    wavespeed.failNext({ status: 500, times: 2, match: /^POST / });
    await runWithFallback(reg, order(reg), { operation: 'create', prompt: 'a' });
    await runWithFallback(reg, order(reg), { operation: 'create', prompt: 'b' });
    const avail = reg.availability(keys);
    expect(avail.wavespeed).toMatchObject({ available: true, healthy: false });
    expect(avail.wavespeed.reason).toMatch(/temporarily failing/);
    expect(order(reg)[0]!.provider).toBe('stability');
    await new Promise((r) => setTimeout(r, 3100));
    expect(reg.availability(keys).wavespeed.healthy).toBe(true);
    const out = await runWithFallback(reg, order(reg), { operation: 'create', prompt: 'c' });
    expect(out.result.provider).toBe('wavespeed');
    expect(reg.get('wavespeed')!.health!().state).toBe('closed');
  });
});
