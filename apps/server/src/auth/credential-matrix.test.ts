import type { RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasPostgres } from '../../../../test/support/backends.ts';
import {
  addUser,
  bearer,
  setupAdmin,
  startTestApp,
  type TestApp,
} from '../../../../test/support/test-app.ts';
import { buildApp } from '../app.ts';
import type { StudioApp } from '../http/types.ts';

const ORIGIN = { origin: 'http://localhost:80' };

/** A concrete path for a route pattern: every parameter `1`, a wildcard `x`. */
const concrete = (url: string) => url.replace(/:\w+(\([^)]*\))?/g, '1').replace(/\*$/, 'x');

type Credential = { headers?: Record<string, string>; cookies?: Record<string, string> };

/**
 * Every authenticated API route (from Fastify's own route list, so a new route is covered without
 * editing this file) refuses every credential that has stopped being valid.
 */
describe.each([
  ['sqlite', true],
  ['postgres', hasPostgres()],
] as const)('dead credentials on every route, %s', (dialect, available) => {
  let t: TestApp;
  let app: StudioApp;
  const routes: { method: string; url: string }[] = [];
  const dead: Record<string, Credential> = {};
  let member: { token: string };

  beforeAll(async () => {
    if (!available) return;
    t = await startTestApp({ dialect, env: { LOGIN_RATE_LIMIT_PER_MINUTE: '1000' } });
    app = await buildApp(t.ctx, {
      onRoute: (route: RouteOptions) => {
        if (route.config?.public || !route.url.startsWith('/api/')) return;
        for (const method of [route.method].flat()) routes.push({ method, url: route.url });
      },
    });
    await app.ready();
    const admin = await setupAdmin(t.app);
    const call = (method: 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
      t.app.inject({ method, url, payload, headers: bearer(admin.token) });

    const revoked = await addUser(t.app, admin.token, 'revoked@example.com');
    const tokens = await t.app.inject({ url: '/api/tokens', headers: bearer(revoked.token) });
    await t.app.inject({
      method: 'DELETE',
      url: `/api/tokens/${tokens.json().tokens[0].id}`,
      headers: bearer(revoked.token),
    });
    dead['revoked token'] = { headers: bearer(revoked.token) };

    const expiring = await addUser(t.app, admin.token, 'expiring@example.com');
    const past = new Date(Date.now() - 1000).toISOString();
    await t.ctx.db.kysely
      .updateTable('api_tokens')
      .set({ expires_at: past })
      .where('user_id', '=', expiring.userId)
      .execute();
    await t.ctx.db.kysely
      .updateTable('sessions')
      .set({ expires_at: past })
      .where('user_id', '=', expiring.userId)
      .execute();
    dead['expired token'] = { headers: bearer(expiring.token) };
    dead['expired session'] = { cookies: { studio_session: expiring.cookie }, headers: ORIGIN };

    const disabled = await addUser(t.app, admin.token, 'disabled@example.com');
    await call('PATCH', `/api/admin/users/${disabled.userId}`, { disabled: true });
    dead["disabled user's token"] = { headers: bearer(disabled.token) };
    dead["disabled user's session"] = { cookies: { studio_session: disabled.cookie }, headers: ORIGIN };

    const deleted = await addUser(t.app, admin.token, 'deleted@example.com');
    await call('DELETE', `/api/admin/users/${deleted.userId}`, { confirm: 'deleted@example.com' });
    dead["deleted user's token"] = { headers: bearer(deleted.token) };
    dead["deleted user's session"] = { cookies: { studio_session: deleted.cookie }, headers: ORIGIN };

    member = await addUser(t.app, admin.token, 'member@example.com');
  });
  afterAll(async () => {
    await app?.close();
    await t?.close();
  });

  it.runIf(available)('every authenticated route answers 401 to each of them', async () => {
    expect(routes.length).toBeGreaterThan(80);
    expect(Object.keys(dead)).toHaveLength(7);
    const wrong: string[] = [];
    for (const route of routes) {
      for (const [name, credential] of Object.entries(dead)) {
        const res = await app.inject({
          method: route.method as 'GET',
          url: concrete(route.url),
          headers: credential.headers,
          cookies: credential.cookies,
        });
        const code = route.method === 'HEAD' ? 'unauthorized' : res.json().error?.code;
        if (res.statusCode !== 401 || code !== 'unauthorized') {
          wrong.push(
            `${route.method} ${route.url} with ${name} → ${res.statusCode} ${res.body.slice(0, 80)}`,
          );
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it.runIf(available)('every admin route answers 403 to a signed-in user who is not an admin', async () => {
    const admin = routes.filter((r) => r.url.startsWith('/api/admin/') && r.method !== 'HEAD');
    expect(admin.length).toBeGreaterThanOrEqual(7);
    const wrong: string[] = [];
    for (const route of admin) {
      const res = await app.inject({
        method: route.method as 'GET',
        url: concrete(route.url),
        headers: bearer(member.token),
        // A valid body, so the refusal comes from the role and not from validation.
        payload: route.method === 'GET' ? undefined : bodyFor(route.method, route.url),
      });
      if (res.statusCode !== 403 || res.json().error?.code !== 'forbidden') {
        wrong.push(`${route.method} ${route.url} → ${res.statusCode} ${res.body.slice(0, 80)}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});

function bodyFor(method: string, url: string): object {
  if (url.endsWith('/credits')) return { amount: 5, reason: 'matrix' };
  if (url.endsWith('/plan')) return { plan: 'pro' };
  if (url.endsWith('/password')) return { password: 'long enough 1' };
  if (method === 'PATCH') return { disabled: true };
  if (method === 'DELETE') return { confirm: 'admin@example.com' };
  return { email: 'new@example.com', password: 'long enough 1' };
}
