import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasPostgres } from '../../../../test/support/backends.ts';
import { bearer, setupAdmin, startTestApp, type TestApp } from '../../../../test/support/test-app.ts';
import { buildApp } from '../app.ts';
import type { StudioApp } from './types.ts';

/** The API routes anyone may call. A route joins this list only by a deliberate edit here. */
const PUBLIC_API = [
  'GET /api/image-studio/health',
  'HEAD /api/image-studio/health',
  'POST /api/auth/setup',
  'POST /api/auth/login',
  'POST /api/auth/logout',
  // A share link's read-only gallery: the token in the path is the credential (sharing/).
  'GET /api/public/shares/:token',
  'HEAD /api/public/shares/:token',
  'POST /api/public/shares/:token/unlock',
  'GET /api/public/shares/:token/assets/:id/image',
  'HEAD /api/public/shares/:token/assets/:id/image',
  'GET /api/public/shares/:token/assets/:id/original',
  'HEAD /api/public/shares/:token/assets/:id/original',
];

interface Route {
  method: string;
  url: string;
  /** The options Fastify registered; later onRoute hooks (the web app's `public`) still change them. */
  options: RouteOptions;
}

const isPublic = (route: Route) => route.options.config?.public === true;

/** A concrete path for a route pattern: every parameter `1`, a wildcard `x`. */
const concrete = (url: string) => url.replace(/:\w+(\([^)]*\))?/g, '1').replace(/\*$/, 'x');

/** Percent-encodes the first letter of the path, the way `/%61pi/docs/json` dodged the old check. */
const encodeFirst = (p: string) => p.replace(/[a-z]/, (c) => `%${c.charCodeAt(0).toString(16)}`);

/** Percent-encodes the last letter of the path (upper-case hex). */
const encodeLast = (p: string) =>
  p.replace(/[a-z](?=[^a-z]*$)/, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** One request over a real socket, the request-target sent exactly as given (no client normalising). */
function send(
  port: number,
  method: string,
  target: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: target, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe.each([
  ['sqlite', true],
  ['postgres', hasPostgres()],
] as const)('authentication by route on %s', (dialect, available) => {
  let t: TestApp;
  let app: StudioApp;
  let port: number;
  let token: string;
  const routes: Route[] = [];

  beforeAll(async () => {
    if (!available) return;
    t = await startTestApp({ dialect });
    // A built web app, so its static routes and the SPA fallback are walked too.
    const web = path.join(t.dataDir, 'no-web');
    fs.mkdirSync(path.join(web, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(web, 'index.html'), '<!doctype html><title>studio</title>');
    fs.writeFileSync(path.join(web, 'assets', 'app.js'), 'console.log(1)');
    const collect = (route: RouteOptions) => {
      for (const method of [route.method].flat()) {
        routes.push({ method, url: route.url, options: route });
      }
    };
    app = await buildApp(t.ctx, { onRoute: collect });
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.address() as AddressInfo).port;
    ({ token } = await setupAdmin(t.app));
  });
  afterAll(async () => {
    await app?.close();
    await t?.close();
  });

  it.runIf(available)('only the declared API routes and the web app are public', () => {
    expect(routes.length).toBeGreaterThan(80);
    const publicRoutes = routes.filter(isPublic).map((r) => `${r.method} ${r.url}`);
    const publicApi = publicRoutes.filter((r) => r.split(' ')[1]?.startsWith('/api/'));
    expect(publicApi.sort()).toEqual([...PUBLIC_API].sort());
    expect(publicRoutes).toEqual(expect.arrayContaining(['GET /index.html', 'GET /assets/app.js']));
    expect(routes.filter((r) => r.url.startsWith('/api/docs')).some(isPublic)).toBe(false);
  });

  it.runIf(available)(
    'every other route answers 401 without auth, plain, percent-encoded or absolute-form',
    async () => {
      const wrong: string[] = [];
      for (const route of routes.filter((r) => !isPublic(r))) {
        const p = concrete(route.url);
        const variants = [p, encodeFirst(p), encodeLast(p), `http://127.0.0.1:${port}${p}`];
        for (const target of variants) {
          const res = await send(port, route.method, target);
          const code = route.method === 'HEAD' ? 'unauthorized' : JSON.parse(res.body).error?.code;
          if (res.status !== 401 || code !== 'unauthorized') {
            wrong.push(`${route.method} ${target} → ${res.status} ${res.body.slice(0, 80)}`);
          }
        }
      }
      expect(wrong).toEqual([]);
    },
  );

  it.runIf(available)('a made-up token is refused, on public routes too', async () => {
    const res = await send(port, 'GET', '/api/image-studio/health', bearer('ist_made_up'));
    expect(res.status).toBe(401);
    expect(JSON.parse(res.body).error.message).toMatch(/invalid or has been revoked/);
  });

  it.runIf(available)('the web app and the SPA fallback load without auth', async () => {
    expect(await send(port, 'GET', '/assets/app.js')).toMatchObject({ status: 200, body: 'console.log(1)' });
    const page = await send(port, 'GET', '/library?asset=3');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>studio</title>');
    const unknownApi = await send(port, 'GET', '/api/no-such-route');
    expect(unknownApi.status).toBe(404);
    expect(JSON.parse(unknownApi.body).error.code).toBe('route_not_found');
  });

  it.runIf(available)('the API docs need auth, and load with it', async () => {
    for (const target of ['/api/docs/json', '/%61pi/docs/json', `http://127.0.0.1:${port}/api/docs/json`]) {
      expect((await send(port, 'GET', target)).status, target).toBe(401);
      const ok = await send(port, 'GET', target, bearer(token));
      expect(ok.status, target).toBe(200);
      expect(JSON.parse(ok.body).info.title).toBe('Image Studio API');
    }
  });
});
