import type { AddressInfo } from 'node:net';
import net from 'node:net';
import type { RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, setupAdmin, startTestApp, type TestApp } from '../../../../test/support/test-app.ts';
import { buildApp } from '../app.ts';
import { CREDENTIALS_BODY_LIMIT, imageBodyLimit, JSON_BODY_LIMIT } from './body-limits.ts';

/** The routes that take images inside JSON: each must declare `config.imageBody`, and no other. */
const IMAGE_ROUTES: ReadonlySet<string> = new Set([
  'POST /api/content-assets/upload',
  'POST /api/image-studio/save-to-library',
  'POST /api/image-studio/create',
  'POST /api/image-studio/edit',
  'POST /api/image-studio/edit/process',
  'POST /api/image-studio/upscale',
  'POST /api/image-studio/control',
  'POST /api/image-studio/control/process',
  'POST /api/image-studio/social/campaign',
  'POST /api/image-studio/social/optimize',
  'POST /api/image-studio/social/preview',
  'POST /api/image-studio/compress',
  'POST /api/image-studio/compress/batch',
  'POST /api/image-studio/compress/estimate',
  'POST /api/image-studio/convert-format',
  'POST /api/image-studio/convert-format/batch',
]);

import type { StudioApp } from './types.ts';

const HUNDRED_MB = 100 * 1024 * 1024;

/**
 * Announces a body of `length` bytes, sends only its first 64 KiB, and resolves with the status line
 * the server answers with while the rest has not been sent (it never is).
 */
function answerBeforeBody(
  port: number,
  target: string,
  length: number,
  headers: Record<string, string> = {},
): Promise<{ status: number; bodyBytesSent: number }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const head = Object.entries({ 'content-type': 'application/json', ...headers })
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('');
    const chunk = `{"image_base64":"${'A'.repeat(64 * 1024)}`;
    let answer = '';
    socket.on('connect', () => {
      socket.write(`POST ${target} HTTP/1.1\r\nhost: localhost\r\ncontent-length: ${length}\r\n${head}\r\n`);
      socket.write(chunk);
    });
    socket.on('data', (data) => {
      answer += data.toString('latin1');
      const status = /^HTTP\/1\.1 (\d{3})/.exec(answer);
      if (status) {
        socket.destroy();
        resolve({ status: Number(status[1]), bodyBytesSent: chunk.length });
      }
    });
    socket.on('error', reject);
  });
}

describe('body limits', () => {
  let t: TestApp;
  let app: StudioApp;
  let port: number;
  let token: string;
  const routes: RouteOptions[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    app = await buildApp(t.ctx, { onRoute: (route) => void routes.push(route) });
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.address() as AddressInfo).port;
    ({ token } = await setupAdmin(t.app));
  });
  afterAll(async () => {
    await app?.close();
    await t?.close();
  });

  it('only the image routes take large bodies; every listed image route exists', () => {
    const large = imageBodyLimit(t.ctx.config.limits);
    const registered = new Set(routes.map((r) => `${[r.method].flat()[0]} ${r.url}`));
    expect([...IMAGE_ROUTES].filter((r) => !registered.has(r))).toEqual([]);
    const declared = routes.filter((r) => r.config?.imageBody).map((r) => `${[r.method].flat()[0]} ${r.url}`);
    expect(new Set(declared)).toEqual(IMAGE_ROUTES);
    for (const route of routes) {
      const key = `${[route.method].flat()[0]} ${route.url}`;
      const limit = route.bodyLimit ?? JSON_BODY_LIMIT;
      expect(limit, key).toBe(IMAGE_ROUTES.has(key) ? large : Math.min(limit, JSON_BODY_LIMIT));
    }
    const login = routes.find((r) => r.url === '/api/auth/login');
    expect(login?.bodyLimit).toBe(CREDENTIALS_BODY_LIMIT);
  });

  it('an anonymous 100 MB POST to any image route is refused 401 before its body is read', async () => {
    for (const route of IMAGE_ROUTES) {
      const target = route.split(' ')[1] ?? '';
      const res = await answerBeforeBody(port, target, HUNDRED_MB);
      expect(res.status, target).toBe(401);
    }
    const health = await t.app.inject({ url: '/api/image-studio/health' });
    expect(health.statusCode).toBe(200);
  });

  it('login and setup refuse a body past a few kilobytes with 413, before reading it', async () => {
    for (const target of ['/api/auth/login', '/api/auth/setup']) {
      const res = await answerBeforeBody(port, target, HUNDRED_MB);
      expect(res.status, target).toBe(413);
    }
    const padded = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'admin@example.com', password: 'x'.repeat(CREDENTIALS_BODY_LIMIT) },
    });
    expect(padded.statusCode).toBe(413);
    expect(padded.json().error.code).toBe('payload_too_large');
  });

  it('an authenticated JSON route without images refuses 2 MB with 413; an image route reads it', async () => {
    const big = 'A'.repeat(2 * 1024 * 1024);
    const persona = await t.app.inject({
      method: 'POST',
      url: '/api/personas',
      headers: bearer(token),
      payload: { name: 'big', description: big },
    });
    expect(persona.statusCode).toBe(413);
    expect(persona.json().error.code).toBe('payload_too_large');
    expect(await answerBeforeBody(port, '/api/personas', HUNDRED_MB, bearer(token))).toMatchObject({
      status: 413,
    });

    const compress = await t.app.inject({
      method: 'POST',
      url: '/api/image-studio/compress',
      headers: bearer(token),
      payload: { image_base64: big },
    });
    expect(compress.statusCode).not.toBe(413);
    expect(compress.statusCode).toBeGreaterThanOrEqual(400);
    expect(compress.statusCode).toBeLessThan(500);
  });
});
