import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, setupAdmin, startTestApp, type TestApp } from '../../../../test/support/test-app.ts';

const PER_ADDRESS = 3;

/** A failed sign-in for an account that does not exist, so only the per-address limit can trigger. */
const wrongLogin = (t: TestApp, n: number, from: { remoteAddress?: string; forwardedFor?: string }) =>
  t.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    remoteAddress: from.remoteAddress,
    headers: from.forwardedFor ? { 'x-forwarded-for': from.forwardedFor } : {},
    payload: { email: `nobody${n}@example.com`, password: 'not the password' },
  });

describe('sign-in limits', () => {
  let direct: TestApp;
  let proxied: TestApp;
  let adminToken: string;

  beforeAll(async () => {
    const env = { LOGIN_RATE_LIMIT_PER_MINUTE: String(PER_ADDRESS) };
    direct = await startTestApp({ env });
    proxied = await startTestApp({ env: { ...env, TRUST_PROXY: '127.0.0.1' } });
    ({ token: adminToken } = await setupAdmin(direct.app));
  });
  afterAll(async () => {
    await direct?.close();
    await proxied?.close();
  });

  it('by default X-Forwarded-For cannot dodge the per-address limit', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < PER_ADDRESS + 2; i++) {
      statuses.push((await wrongLogin(direct, i, { forwardedFor: `203.0.113.${i + 1}` })).statusCode);
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    const limited = await wrongLogin(direct, 99, { forwardedFor: '198.51.100.7' });
    expect(limited.json().error.code).toBe('rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('with TRUST_PROXY naming the proxy, the forwarded client address picks the bucket', async () => {
    const viaProxy = { remoteAddress: '127.0.0.1' };
    for (let i = 0; i < PER_ADDRESS + 2; i++) {
      const res = await wrongLogin(proxied, i, { ...viaProxy, forwardedFor: `203.0.113.${i + 1}` });
      expect(res.statusCode, `client ${i}`).toBe(401);
    }
    const same: number[] = [];
    for (let i = 0; i < PER_ADDRESS + 1; i++) {
      same.push(
        (await wrongLogin(proxied, 100 + i, { ...viaProxy, forwardedFor: '198.51.100.9' })).statusCode,
      );
    }
    expect(same).toEqual([401, 401, 401, 429]);
    // A client that is not the named proxy cannot claim another address.
    const spoofed: number[] = [];
    for (let i = 0; i < PER_ADDRESS + 1; i++) {
      const from = { remoteAddress: '192.0.2.50', forwardedFor: `203.0.113.${50 + i}` };
      spoofed.push((await wrongLogin(proxied, 200 + i, from)).statusCode);
    }
    expect(spoofed).toEqual([401, 401, 401, 429]);
  });

  it('locks an account after five failures, from any mix of addresses, with Retry-After', async () => {
    const attempt = (i: number, password: string, email = 'admin@example.com') =>
      direct.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        remoteAddress: `10.1.${i}.1`,
        payload: { email, password },
      });
    const codes: string[] = [];
    for (let i = 0; i < 5; i++) {
      codes.push((await attempt(i, `guess ${i}`)).json().error.code);
    }
    expect(codes).toEqual([
      'invalid_credentials',
      'invalid_credentials',
      'invalid_credentials',
      'invalid_credentials',
      'login_locked',
    ]);

    const locked = await attempt(9, 'correct horse 1');
    expect(locked.statusCode).toBe(429);
    expect(locked.json().error).toMatchObject({ code: 'login_locked', details: { retry_after: 30 } });
    expect(locked.json().error.message).toBe('Too many failed sign-ins for this account. Try again in 30 s.');
    expect(locked.headers['retry-after']).toBe('30');
    expect(locked.cookies.find((c) => c.name === 'studio_session')).toBeUndefined();

    // Another account signs in as usual.
    const bob = await direct.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: bearer(adminToken),
      payload: { email: 'bob@example.com', password: 'another pass 2' },
    });
    expect(bob.statusCode).toBe(201);
    expect((await attempt(10, 'another pass 2', 'bob@example.com')).statusCode).toBe(200);
  });
});
