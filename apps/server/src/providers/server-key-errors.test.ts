import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { StabilityFake } from '../../../../test/fakes/stability.ts';
import { bearer } from '../../../../test/support/test-app.ts';
import { b64, gradientPng, type StudioTestApp, startStudioApp } from '../edit/testing/studio-app.ts';

const UPSCALE = '/api/image-studio/upscale';
// What a provider may say about the account a key belongs to.
const ACCOUNT_TEXT = 'organization org-7f3a (billing@operator.example) exceeded its monthly limit';

describe("provider errors on the server's key", () => {
  const stability = new StabilityFake();
  let s: StudioTestApp;
  let image: string;

  beforeAll(async () => {
    await stability.start();
    s = await startStudioApp({ stability });
    image = b64(await gradientPng(64, 48));
  });
  afterAll(async () => {
    await s?.close();
    await stability.stop();
  });
  beforeEach(() => stability.reset());

  const failWith = (status: number) =>
    stability.failNext({ status, body: { id: 'e1', name: 'bad_request', errors: [ACCOUNT_TEXT] } });

  it.each([
    [400, 'provider_rejected'],
    [401, 'provider_auth'],
  ])('a %i keeps its code but not the provider’s words', async (status, code) => {
    failWith(status);
    const res = await s.post(UPSCALE, { image_base64: image, mode: 'fast', provider: 'stability' });
    expect(res.body.error?.code).toBe(code);
    expect(res.body.error?.message).toMatch(/\(stability\)$/);
    expect(JSON.stringify(res.body)).not.toContain('org-7f3a');
    expect(JSON.stringify(res.body)).not.toContain('billing@operator.example');
  });

  it('a user calling with their own key sees what the provider said about their account', async () => {
    const saved = await s.t.app.inject({
      method: 'PUT',
      url: '/api/provider-keys/stability',
      headers: bearer(s.token),
      payload: { api_key: 'sk-users-own-key-1234' },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    failWith(400);
    const res = await s.post(UPSCALE, { image_base64: image, mode: 'fast', provider: 'stability' });
    expect(res.body.error?.code).toBe('provider_rejected');
    expect(res.body.error?.message).toContain('org-7f3a');
  });
});
