import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { StabilityFake } from '../../../../../test/fakes/stability.ts';
import { hasPostgres } from '../../../../../test/support/backends.ts';
import {
  addUser,
  bearer,
  setupAdmin,
  startTestApp,
  type TestApp,
} from '../../../../../test/support/test-app.ts';
import { runWithFallback } from '../runner.ts';
import { selectCandidates } from '../selection.ts';
import { KeyCipher, keyAad } from './cipher.ts';

const stability = new StabilityFake({ validKeys: ['sk-server-0000', 'sk-user-9999'] });

beforeAll(async () => {
  await stability.start();
});
afterAll(() => stability.stop());
beforeEach(() => stability.reset());

describe.each([
  ['sqlite', true],
  ['postgres', hasPostgres()],
] as const)('provider keys and listing on %s', (dialect, available) => {
  let t: TestApp;
  let token: string;
  let userId: number;
  let otherToken: string;

  beforeAll(async () => {
    if (!available) return;
    t = await startTestApp({
      dialect,
      env: { STABILITY_API_KEY: 'sk-server-0000', STABILITY_BASE_URL: stability.baseUrl },
    });
    const admin = await setupAdmin(t.app);
    token = admin.token;
    userId = admin.userId;
    otherToken = (await addUser(t.app, admin.token, 'other@example.com')).token;
  });
  afterAll(async () => {
    if (available) await t.close();
  });

  const api = (method: 'GET' | 'PUT' | 'DELETE' | 'POST', url: string, payload?: object, who = token) =>
    t.app.inject({ method, url, headers: bearer(who), ...(payload ? { payload } : {}) });

  it.runIf(available)('lists every provider with models, prices and availability for this user', async () => {
    const res = await api('GET', '/api/image-studio/providers');
    expect(res.statusCode).toBe(200);
    const { providers } = res.json<{
      providers: Array<
        Record<string, unknown> & { id: string; models: Array<{ id: string; credits: number }> }
      >;
    }>();
    expect(providers.map((p) => p.id)).toEqual(['stability', 'wavespeed', 'huggingface', 'gemini', 'local']);
    const byId = Object.fromEntries(providers.map((p) => [p.id, p]));
    expect(byId.stability).toMatchObject({ available: true, key_source: 'server', healthy: true });
    expect(byId.wavespeed).toMatchObject({ available: false, key_source: 'none' });
    expect(String(byId.wavespeed!.reason)).toMatch(/no API key/);
    expect(byId.local).toMatchObject({ available: true, kind: 'layout' });
    expect(byId.stability!.models.find((m) => m.id === 'ultra')?.credits).toBe(8);
    expect(byId.stability!.capabilities).toContain('upscale.creative');
    expect(byId.stability!.cost_range).toBe('1–25 credits per image');
    expect(byId.local!.cost_range).toMatch(/free/);
    expect(byId.huggingface!.max_resolution).toEqual({ width: 1440, height: 1440 });
  });

  it.runIf(available)(
    'stores a key encrypted at rest and only ever returns its last 4 characters',
    async () => {
      const put = await api('PUT', '/api/provider-keys/wavespeed', { api_key: 'ws-user-secret-1234' });
      expect(put.statusCode).toBe(200);
      expect(put.json()).toMatchObject({
        provider: 'wavespeed',
        configured: true,
        last4: '1234',
        server_key: false,
      });
      expect(put.body).not.toContain('ws-user-secret');
      const got = await api('GET', '/api/provider-keys/wavespeed');
      expect(got.body).not.toContain('ws-user-secret');
      const list = await api('GET', '/api/provider-keys');
      expect(list.body).not.toContain('ws-user-secret');

      const raw = await sql<{
        ciphertext: string;
        last4: string;
      }>`select ciphertext, last4 from provider_keys where user_id = ${userId} and provider = 'wavespeed'`.execute(
        t.ctx.db.kysely,
      );
      const row = raw.rows[0]!;
      expect(row.ciphertext).not.toContain('ws-user-secret');
      expect(Buffer.from(row.ciphertext.split('.')[3]!, 'base64url').toString('utf8')).not.toContain(
        'ws-user',
      );
      const cipher = new KeyCipher(t.ctx.secret);
      expect(cipher.decrypt(row.ciphertext, keyAad(userId, 'wavespeed'))).toBe('ws-user-secret-1234');
      expect(() => cipher.decrypt(row.ciphertext, keyAad(userId + 1, 'wavespeed'))).toThrow();

      const listing = await api('GET', '/api/image-studio/providers');
      const ws = listing
        .json<{ providers: Array<{ id: string; available: boolean; key_source: string }> }>()
        .providers.find((p) => p.id === 'wavespeed');
      expect(ws).toMatchObject({ available: true, key_source: 'user' });
    },
  );

  it.runIf(available)("another user never sees someone's key", async () => {
    const res = await api('GET', '/api/provider-keys/wavespeed', undefined, otherToken);
    expect(res.json()).toMatchObject({ configured: false, last4: null });
  });

  it.runIf(available)('uses the stored user key on the wire instead of the server key', async () => {
    await api('PUT', '/api/provider-keys/stability', { api_key: 'sk-user-9999' });
    const availability = await t.ctx.providerKeys.availability(userId);
    const cands = selectCandidates(t.ctx.providers, availability, {
      operation: 'create',
      provider: 'stability',
      quality: 'draft',
    });
    await runWithFallback(t.ctx.providers, cands, {
      operation: 'create',
      prompt: 'a kite',
      width: 320,
      height: 320,
    });
    expect(stability.requests[0]!.headers.authorization).toBe('Bearer sk-user-9999');
  });

  it.runIf(available)('tests a connection with the saved key, a given key or the server key', async () => {
    const saved = await api('POST', '/api/provider-keys/stability/test', {});
    expect(saved.json()).toMatchObject({ ok: true, key_source: 'user' });
    expect(stability.requests.at(-1)?.headers.authorization).toBe('Bearer sk-user-9999');
    const status = await api('GET', '/api/provider-keys/stability');
    expect(status.json<{ last_test: { ok: boolean } }>().last_test.ok).toBe(true);
    const given = await api('POST', '/api/provider-keys/stability/test', { api_key: 'sk-wrong-1111' });
    expect(given.json()).toMatchObject({ ok: false, key_source: 'request', code: 'provider_auth' });
    const server = await api('POST', '/api/provider-keys/stability/test', {}, otherToken);
    expect(server.json()).toMatchObject({ ok: true, key_source: 'server' });
  });

  it.runIf(available)('validates input and deletes keys', async () => {
    expect((await api('PUT', '/api/provider-keys/stability', { api_key: 'short' })).statusCode).toBe(400);
    expect((await api('PUT', '/api/provider-keys/nope', { api_key: 'long-enough-key' })).statusCode).toBe(
      400,
    );
    expect((await api('DELETE', '/api/provider-keys/wavespeed')).statusCode).toBe(200);
    expect((await api('DELETE', '/api/provider-keys/wavespeed')).statusCode).toBe(404);
    expect((await api('POST', '/api/provider-keys/wavespeed/test', {})).statusCode).toBe(404);
  });
});
