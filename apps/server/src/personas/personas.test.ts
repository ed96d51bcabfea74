import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasPostgres } from '../../../../test/support/backends.ts';
import {
  addUser,
  bearer,
  setupAdmin,
  startTestApp,
  type TestApp,
} from '../../../../test/support/test-app.ts';

describe.each([
  ['sqlite', true],
  ['postgres', hasPostgres()],
] as const)('brand personas on %s', (dialect, available) => {
  let t: TestApp;
  let alice: string;
  let bob: string;
  beforeAll(async () => {
    if (!available) {
      return;
    }
    t = await startTestApp({ dialect });
    alice = (await setupAdmin(t.app)).token;
    bob = (await addUser(t.app, alice, 'bob@example.com')).token;
  });
  afterAll(async () => t?.close());

  const create = (token: string, payload: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url: '/api/personas', headers: bearer(token), payload });

  it.runIf(available)('saves, lists, updates and deletes personas, one default at a time', async () => {
    const first = await create(alice, {
      name: 'Acme',
      brand: 'Acme Coffee',
      tone: 'warm',
      style_keywords: ['earthy'],
      colors: ['#6B3E26'],
      avoid: ['clutter'],
      is_default: true,
    });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ name: 'Acme', colors: ['#6b3e26'], is_default: true });
    const second = await create(alice, { name: 'Nightly', is_default: true });
    expect(second.json()).toMatchObject({ style_keywords: [], is_default: true });

    const list = await t.app.inject({ url: '/api/personas', headers: bearer(alice) });
    const personas = list.json<{ personas: Array<{ name: string; is_default: boolean }> }>().personas;
    expect(personas.map((p) => [p.name, p.is_default])).toEqual([
      ['Acme', false],
      ['Nightly', true],
    ]);

    const id = first.json<{ id: number }>().id;
    const patched = await t.app.inject({
      method: 'PATCH',
      url: `/api/personas/${id}`,
      headers: bearer(alice),
      payload: { tone: 'bold' },
    });
    expect(patched.json()).toMatchObject({ tone: 'bold', brand: 'Acme Coffee', avoid: ['clutter'] });
    const deleted = await t.app.inject({
      method: 'DELETE',
      url: `/api/personas/${id}`,
      headers: bearer(alice),
    });
    expect(deleted.statusCode).toBe(200);
    expect((await t.app.inject({ url: `/api/personas/${id}`, headers: bearer(alice) })).statusCode).toBe(404);
  });

  it.runIf(available)('rejects bad colours and hides personas from other users', async () => {
    const bad = await create(alice, { name: 'X', colors: ['red'] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.issues[0].path).toBe('body.colors.0');
    const mine = await create(alice, { name: 'Private' });
    const id = mine.json<{ id: number }>().id;
    expect((await t.app.inject({ url: `/api/personas/${id}`, headers: bearer(bob) })).statusCode).toBe(404);
    const steal = await t.app.inject({
      method: 'PATCH',
      url: `/api/personas/${id}`,
      headers: bearer(bob),
      payload: { name: 'Mine' },
    });
    expect(steal.statusCode).toBe(404);
    expect(
      (await t.app.inject({ method: 'DELETE', url: `/api/personas/${id}`, headers: bearer(bob) })).statusCode,
    ).toBe(404);
    const bobs = await t.app.inject({ url: '/api/personas', headers: bearer(bob) });
    expect(bobs.json()).toEqual({ personas: [] });
  });

  it.runIf(available)(
    'resolves the default persona for use_persona and refuses when there is none',
    async () => {
      const aliceId = (await t.app.inject({ url: '/api/auth/me', headers: bearer(alice) })).json<{
        id: number;
      }>().id;
      const resolved = await t.ctx.personas.resolve(aliceId, true);
      expect(resolved?.name).toBe('Nightly');
      const bobId = (await t.app.inject({ url: '/api/auth/me', headers: bearer(bob) })).json<{ id: number }>()
        .id;
      await expect(t.ctx.personas.resolve(bobId, true)).rejects.toMatchObject({ status: 400 });
      expect(await t.ctx.personas.resolve(bobId, false)).toBeUndefined();
    },
  );
});
