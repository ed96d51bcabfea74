import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, setupAdmin, startTestApp, type TestApp } from '../../../../test/support/test-app.ts';

describe('health', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  it('tells an anonymous caller only whether the studio is up and needs setup', async () => {
    const res = await t.app.inject({ url: '/api/image-studio/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'healthy', service: 'image_studio', needs_setup: true });
  });

  it('gives a signed-in caller the details', async () => {
    const { token, cookie } = await setupAdmin(t.app);
    const anonymous = await t.app.inject({ url: '/api/image-studio/health' });
    expect(Object.keys(anonymous.json()).sort()).toEqual(['needs_setup', 'service', 'status']);
    for (const auth of [{ headers: bearer(token) }, { cookies: { studio_session: cookie } }]) {
      const res = await t.app.inject({ url: '/api/image-studio/health', ...auth });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        status: 'healthy',
        needs_setup: false,
        version: expect.any(String),
        database: { status: 'ok', dialect: 'sqlite' },
        storage: { status: 'ok', kind: 'fs' },
        jobs: { runner: 'inline' },
      });
      // The original's modules stay, and every studio the dashboard links to is there too.
      expect(Object.keys(res.json().modules)).toEqual(
        expect.arrayContaining([
          'create_studio',
          'templates',
          'providers',
          'compression',
          'social_optimizer',
        ]),
      );
    }
  });
});
