import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasPostgres } from '../../../../test/support/backends.ts';
import {
  addUser,
  bearer,
  setupAdmin,
  startTestApp,
  type TestApp,
} from '../../../../test/support/test-app.ts';

const ORIGIN = { origin: 'http://localhost:80' };

describe.each([
  ['sqlite', true],
  ['postgres', hasPostgres()],
] as const)('accounts and auth on %s', (dialect, available) => {
  let t: TestApp;
  beforeAll(async () => {
    if (available) {
      t = await startTestApp({ dialect });
    }
  });
  afterAll(async () => t?.close());

  it.runIf(available)('health is public and reports a fresh install', async () => {
    const res = await t.app.inject({ url: '/api/image-studio/health' });
    expect(res.statusCode).toBe(200);
    // Details (database, modules, version) need auth: routes/health.routes.test.ts.
    expect(res.json()).toEqual({ status: 'healthy', service: 'image_studio', needs_setup: true });
  });

  it.runIf(available)('every other /api route needs auth', async () => {
    for (const [method, url] of [
      ['GET', '/api/auth/me'],
      ['GET', '/api/tokens'],
      ['POST', '/api/users'],
      ['GET', '/api/content-assets/1'],
      ['GET', '/api/jobs/00000000-0000-4000-8000-000000000000'],
      ['GET', '/api/docs/json'],
    ] as const) {
      const res = await t.app.inject({ method, url });
      expect(res.statusCode, `${method} ${url}`).toBe(401);
      expect(res.json().error.code).toBe('unauthorized');
      expect(res.json().requestId).toBeTruthy();
    }
  });

  it.runIf(available)('setup makes the first account admin once, then answers 409', async () => {
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/auth/setup',
      payload: { email: 'not-an-email', password: 'x' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('validation_failed');
    const paths = bad.json().error.details.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['body.email', 'body.password']));

    const { token } = await setupAdmin(t.app, 'Admin@Example.com');
    const me = await t.app.inject({ url: '/api/auth/me', headers: bearer(token) });
    expect(me.json()).toMatchObject({ email: 'admin@example.com', role: 'admin' });

    const again = await t.app.inject({
      method: 'POST',
      url: '/api/auth/setup',
      payload: { email: 'second@example.com', password: 'whatever123' },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('already_set_up');
  });

  it.runIf(available)('login sets an httpOnly SameSite cookie; logout ends the session', async () => {
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'admin@example.com', password: 'wrong password' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe('invalid_credentials');

    const login = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'admin@example.com', password: 'correct horse 1' },
    });
    expect(login.statusCode).toBe(200);
    const cookie = login.cookies.find((c) => c.name === 'studio_session');
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe('Lax');
    const session = { studio_session: cookie?.value ?? '' };

    expect((await t.app.inject({ url: '/api/auth/me', cookies: session })).statusCode).toBe(200);
    const out = await t.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      cookies: session,
      headers: ORIGIN,
    });
    expect(out.statusCode).toBe(200);
    expect((await t.app.inject({ url: '/api/auth/me', cookies: session })).statusCode).toBe(401);
  });

  it.runIf(available)('refuses cookie-authenticated writes from another site', async () => {
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'admin@example.com', password: 'correct horse 1' },
    });
    const cookies = { studio_session: login.cookies[0]?.value ?? '' };
    const foreign = await t.app.inject({
      method: 'POST',
      url: '/api/tokens',
      cookies,
      headers: { origin: 'https://evil.example' },
      payload: { name: 'x' },
    });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json().error.code).toBe('csrf_rejected');
    const noOrigin = await t.app.inject({
      method: 'POST',
      url: '/api/tokens',
      cookies,
      payload: { name: 'x' },
    });
    expect(noOrigin.statusCode).toBe(403);
    const sameSite = await t.app.inject({
      method: 'POST',
      url: '/api/tokens',
      cookies,
      headers: ORIGIN,
      payload: { name: 'x' },
    });
    expect(sameSite.statusCode).toBe(201);
  });

  it.runIf(available)('API tokens are shown once, stored hashed, listed and revocable', async () => {
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'admin@example.com', password: 'correct horse 1' },
    });
    const cookies = { studio_session: login.cookies[0]?.value ?? '' };
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/tokens',
      cookies,
      headers: ORIGIN,
      payload: { name: 'ci' },
    });
    const { id, token } = created.json<{ id: number; token: string }>();
    expect(token).toMatch(/^ist_/);

    const stored = await t.ctx.db.kysely
      .selectFrom('api_tokens')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(stored.token_hash).not.toContain(token);
    expect(JSON.stringify(stored)).not.toContain(token);

    const list = await t.app.inject({ url: '/api/tokens', headers: bearer(token) });
    const listed = list
      .json<{ tokens: Array<{ id: number; token_prefix: string }> }>()
      .tokens.find((x) => x.id === id);
    expect(listed?.token_prefix).toBe(token.slice(0, 10));
    expect(list.body).not.toContain(token);

    const revoked = await t.app.inject({
      method: 'DELETE',
      url: `/api/tokens/${id}`,
      headers: bearer(token),
    });
    expect(revoked.statusCode).toBe(200);
    const after = await t.app.inject({ url: '/api/auth/me', headers: bearer(token) });
    expect(after.statusCode).toBe(401);
  });

  it.runIf(available)("only an admin creates users; a user cannot revoke another user's token", async () => {
    const admin = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'admin@example.com', password: 'correct horse 1' },
    });
    const adminCookie = admin.cookies[0]?.value ?? '';
    const adminToken = (
      await t.app.inject({
        method: 'POST',
        url: '/api/tokens',
        cookies: { studio_session: adminCookie },
        headers: ORIGIN,
        payload: { name: 'admin' },
      })
    ).json<{ id: number; token: string }>();
    const bob = await addUser(t.app, adminToken.token, 'bob@example.com');
    const me = await t.app.inject({ url: '/api/auth/me', headers: bearer(bob.token) });
    expect(me.json()).toMatchObject({ email: 'bob@example.com', role: 'user' });

    const denied = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: bearer(bob.token),
      payload: { email: 'eve@example.com', password: 'longenough' },
    });
    expect(denied.statusCode).toBe(403);
    const duplicate = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: bearer(adminToken.token),
      payload: { email: 'BOB@example.com', password: 'longenough' },
    });
    expect(duplicate.statusCode).toBe(409);

    const steal = await t.app.inject({
      method: 'DELETE',
      url: `/api/tokens/${adminToken.id}`,
      headers: bearer(bob.token),
    });
    expect(steal.statusCode).toBe(404);
    expect((await t.app.inject({ url: '/api/auth/me', headers: bearer(adminToken.token) })).statusCode).toBe(
      200,
    );
  });
});
