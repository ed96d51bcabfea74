import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasPostgres, hasRedis } from '../support/backends.ts';
import { bearer, setupAdmin, startTestApp, type TestApp } from '../support/test-app.ts';

/**
 * Two API processes behind one load balancer (two apps, each with its own data folder, on one
 * PostgreSQL and one Redis): a user's request limit and an account's failed sign-ins are counted once
 * for both, not once per process.
 */
describe.runIf(hasPostgres() && hasRedis())('limits shared by two API processes', () => {
  const PER_MINUTE = 6;
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    a = await startTestApp({
      dialect: 'postgres',
      runner: 'bullmq',
      env: { ROLE: 'api', RATE_LIMIT_PER_MINUTE: String(PER_MINUTE) },
    });
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-app-'));
    b = await startTestApp({ reuse: { dataDir, env: { ...a.env, DATA_DIR: dataDir } } });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('a user’s requests per minute count on both processes together', async () => {
    const { token } = await setupAdmin(a.app);
    // Requests the two processes answer in turn, as a round-robin balancer would send them.
    const statuses: number[] = [];
    for (let i = 0; i < PER_MINUTE + 2; i++) {
      const app = i % 2 === 0 ? b.app : a.app;
      statuses.push((await app.inject({ url: '/api/auth/me', headers: bearer(token) })).statusCode);
    }
    // Making the token (with the setup's session) was this user's first request: one process
    // alone would have allowed all of these.
    expect(statuses).toEqual([...Array(PER_MINUTE - 1).fill(200), 429, 429, 429]);
    const refused = await a.app.inject({ url: '/api/auth/me', headers: bearer(token) });
    expect(refused.json()).toMatchObject({ error: { code: 'rate_limited' } });
  });

  it('an account’s failed sign-ins lock it on both processes', async () => {
    const wrong = (app: TestApp) =>
      app.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: 'admin@example.com', password: 'not the password' },
      });
    const codes: string[] = [];
    for (let i = 0; i < 6; i++) {
      codes.push((await wrong(i % 2 === 0 ? a : b)).json<{ error: { code: string } }>().error.code);
    }
    expect(codes).toEqual([
      'invalid_credentials',
      'invalid_credentials',
      'invalid_credentials',
      'invalid_credentials',
      'login_locked',
      'login_locked',
    ]);
    // Even the right password waits, on the process that never saw the first failures' streak begin.
    const right = await b.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'admin@example.com', password: 'correct horse 1' },
    });
    expect(right.statusCode).toBe(429);
    expect(right.json()).toMatchObject({ error: { code: 'login_locked' } });
  });
});
