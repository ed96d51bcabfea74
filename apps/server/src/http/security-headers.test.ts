import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, setupAdmin, startTestApp, type TestApp } from '../../../../test/support/test-app.ts';

describe('security headers', () => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await startTestApp();
    token = (await setupAdmin(t.app)).token;
  });
  afterAll(async () => t?.close());

  it('are on every API answer: success, refusal and unknown route alike', async () => {
    for (const [url, headers, status] of [
      ['/api/auth/me', bearer(token), 200],
      ['/api/auth/me', {}, 401],
      ['/api/no-such-route', bearer(token), 404],
      ['/api/image-studio/health', {}, 200],
    ] as const) {
      const res = await t.app.inject({ url, headers });
      expect(res.statusCode, url).toBe(status);
      expect(res.headers['content-security-policy'], url).toContain("frame-ancestors 'none'");
      expect(res.headers['content-security-policy'], url).toContain("script-src 'self'");
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['referrer-policy'], url).toBe('same-origin');
      expect(res.headers['x-frame-options'], url).toBe('DENY');
      expect(res.headers['strict-transport-security'], url).toBeUndefined();
    }
  });

  it('add HSTS only to answers that came over https', async () => {
    const res = await t.app.inject({
      url: '/api/image-studio/health',
      headers: { 'x-forwarded-proto': 'https' },
    });
    // TRUST_PROXY is off by default, so a client cannot claim https for itself.
    expect(res.headers['strict-transport-security']).toBeUndefined();
    const behindProxy = await startTestApp({ env: { TRUST_PROXY: '1' } });
    try {
      const proxied = await behindProxy.app.inject({
        url: '/api/image-studio/health',
        headers: { 'x-forwarded-proto': 'https' },
      });
      expect(proxied.headers['strict-transport-security']).toMatch(/^max-age=\d+/);
    } finally {
      await behindProxy.close();
    }
  });
});
