import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { buildApp } from '../../apps/server/src/app.ts';
import { loadConfig } from '../../apps/server/src/config.ts';
import { type Context, type ContextOptions, createContext } from '../../apps/server/src/context.ts';
import type { StudioApp } from '../../apps/server/src/http/types.ts';
import { backendEnv, type Dialect, type Runner, type Storage } from './backends.ts';

export interface TestApp {
  app: StudioApp;
  ctx: Context;
  dataDir: string;
  env: Record<string, string>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  dialect?: Dialect;
  storage?: Storage;
  runner?: Runner;
  env?: Record<string, string>;
  registerJobs?: ContextOptions['registerJobs'];
  providerClient?: ContextOptions['providerClient'];
  wrapBlobs?: ContextOptions['wrapBlobs'];
  /** Reuse a data folder/env (e.g. to simulate a restart). */
  reuse?: { dataDir: string; env: Record<string, string> };
}

/** A real app on the chosen backends, driven through `app.inject` (no port needed). */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const dataDir = options.reuse?.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'studio-app-'));
  // Background analysis (objects, text, colours) of every saved image is CPU the suites about
  // something else do not need; the understanding tests turn it back on.
  const env = options.reuse?.env ?? {
    ANALYZE_NEW_ASSETS: 'false',
    ...(await backendEnv({ dataDir, ...options })),
    ...options.env,
  };
  const config = loadConfig({ ...env, WEB_DIST_DIR: path.join(dataDir, 'no-web') });
  const log = pino({ level: 'silent' });
  const ctx = await createContext(config, log, {
    providerClient: options.providerClient,
    wrapBlobs: options.wrapBlobs,
    registerJobs: options.registerJobs,
  });
  const app = await buildApp(ctx);
  await app.ready();
  return {
    app,
    ctx,
    dataDir,
    env,
    async close() {
      await app.close();
      await ctx.close();
    },
  };
}

/** Creates the admin through the API and returns a bearer token for it. */
export async function setupAdmin(app: StudioApp, email = 'admin@example.com', password = 'correct horse 1') {
  const setup = await app.inject({ method: 'POST', url: '/api/auth/setup', payload: { email, password } });
  if (setup.statusCode !== 201) {
    throw new Error(`setup failed: ${setup.statusCode} ${setup.body}`);
  }
  const cookie = setup.cookies.find((c) => c.name === 'studio_session')?.value ?? '';
  return { cookie, token: await createToken(app, cookie), userId: setup.json<{ id: number }>().id };
}

export async function createToken(app: StudioApp, cookie: string, name = 'test'): Promise<string> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/tokens',
    cookies: { studio_session: cookie },
    headers: { origin: 'http://localhost:80' },
    payload: { name },
  });
  if (res.statusCode !== 201) {
    throw new Error(`token failed: ${res.statusCode} ${res.body}`);
  }
  return res.json<{ token: string }>().token;
}

/** Admin creates another user, who logs in and gets a token. */
export async function addUser(
  app: StudioApp,
  adminToken: string,
  email: string,
  password = 'another pass 2',
) {
  const created = await app.inject({
    method: 'POST',
    url: '/api/users',
    headers: { authorization: `Bearer ${adminToken}` },
    payload: { email, password },
  });
  if (created.statusCode !== 201) {
    throw new Error(`user create failed: ${created.statusCode} ${created.body}`);
  }
  const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });
  const cookie = login.cookies.find((c) => c.name === 'studio_session')?.value ?? '';
  return { cookie, token: await createToken(app, cookie), userId: created.json<{ id: number }>().id };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
