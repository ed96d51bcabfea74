import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasPostgres } from '../../../../test/support/backends.ts';
import { makePng } from '../../../../test/support/images.ts';
import {
  addUser,
  bearer,
  setupAdmin,
  startTestApp,
  type TestApp,
} from '../../../../test/support/test-app.ts';
import type { JobRegistry } from '../jobs/job-registry.ts';
import { SessionSweeper } from './session-sweeper.ts';

const ORIGIN = { origin: 'http://localhost:80' };

/** A job that runs until it is canceled; the test sees its signal. */
const held = new Map<string, AbortSignal>();
function registerHoldJob(registry: JobRegistry) {
  registry.register<{ name: string }, { done: true }>({
    type: 'test.hold',
    run: async (job) => {
      held.set(job.input.name, job.signal);
      await new Promise<void>((resolve) => job.signal.addEventListener('abort', () => resolve()));
      return { done: true };
    },
  });
}
type Caller = { token: string } | { cookie: string };

describe.each([
  ['sqlite', true],
  ['postgres', hasPostgres()],
] as const)('accounts and sessions on %s', (dialect, available) => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof setupAdmin>>;
  let n = 0;
  const email = () => `user${++n}@example.com`;

  const call = (who: Caller, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
    t.app.inject({
      method,
      url,
      payload,
      ...('token' in who
        ? { headers: bearer(who.token) }
        : { cookies: { studio_session: who.cookie }, headers: ORIGIN }),
    });
  const status = async (who: Caller, url = '/api/auth/me') => (await call(who, 'GET', url)).statusCode;
  const login = async (mail: string, password: string) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: mail, password },
    });
    return { res, cookie: res.cookies.find((c) => c.name === 'studio_session')?.value ?? '' };
  };

  beforeAll(async () => {
    if (available) {
      t = await startTestApp({
        dialect,
        env: { LOGIN_RATE_LIMIT_PER_MINUTE: '1000' },
        registerJobs: registerHoldJob,
      });
      admin = await setupAdmin(t.app);
    }
  });
  afterAll(async () => t?.close());

  it.runIf(available)('a non-admin gets 403 on every admin action; an unknown id is 404', async () => {
    const bob = await addUser(t.app, admin.token, email());
    const routes = [
      ['GET', '/api/admin/users', undefined],
      ['POST', '/api/admin/users', { email: 'x@example.com', password: 'long enough 1' }],
      ['PATCH', `/api/admin/users/${admin.userId}`, { disabled: true }],
      ['POST', `/api/admin/users/${admin.userId}/password`, { password: 'long enough 1' }],
      ['DELETE', `/api/admin/users/${admin.userId}`, { confirm: 'admin@example.com' }],
      ['POST', `/api/admin/users/${admin.userId}/credits`, { amount: 5, reason: 'x' }],
      ['PUT', `/api/admin/users/${admin.userId}/plan`, { plan: 'pro' }],
    ] as const;
    for (const [method, url, payload] of routes) {
      const res = await t.app.inject({ method, url, payload, headers: bearer(bob.token) });
      expect(res.statusCode, `${method} ${url}`).toBe(403);
      expect(res.json().error.code).toBe('forbidden');
    }
    for (const [method, url, payload] of routes.slice(2)) {
      const res = await t.app.inject({
        method,
        url: url.replace(String(admin.userId), '999999'),
        payload: method === 'DELETE' ? { confirm: 'nobody@example.com' } : payload,
        headers: bearer(admin.token),
      });
      expect(res.statusCode, `${method} ${url}`).toBe(404);
      expect(res.json().error.code).toBe('not_found');
    }
  });

  it.runIf(available)('an admin lists and creates users with a role and plan', async () => {
    const mail = email();
    const created = await call(admin, 'POST', '/api/admin/users', {
      email: mail.toUpperCase(),
      password: 'a good password',
      role: 'admin',
      plan: 'pro',
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ email: mail, role: 'admin', plan: 'pro', disabled: false });
    expect(created.json().balance).toBeGreaterThan(0);

    const again = await call(admin, 'POST', '/api/admin/users', { email: mail, password: 'a good password' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('email_taken');

    const list = await call(admin, 'GET', '/api/admin/users');
    expect(list.statusCode).toBe(200);
    const emails = list.json().users.map((u: { email: string }) => u.email);
    expect(emails).toEqual(expect.arrayContaining(['admin@example.com', mail]));
  });

  it.runIf(available)(
    "disabling ends the user's session and stops their token at once; enabling brings the token back",
    async () => {
      const mail = email();
      const bob = await addUser(t.app, admin.token, mail, 'bobs password');
      expect(await status({ cookie: bob.cookie })).toBe(200);
      expect(await status({ token: bob.token })).toBe(200);

      const off = await call(admin, 'PATCH', `/api/admin/users/${bob.userId}`, { disabled: true });
      expect(off.statusCode, off.body).toBe(200);
      expect(off.json()).toMatchObject({ disabled: true });
      expect(await status({ cookie: bob.cookie })).toBe(401);
      expect(await status({ token: bob.token })).toBe(401);
      const refused = await login(mail, 'bobs password');
      expect(refused.res.statusCode).toBe(403);
      expect(refused.res.json().error.code).toBe('account_disabled');

      const on = await call(admin, 'PATCH', `/api/admin/users/${bob.userId}`, { disabled: false });
      expect(on.json()).toMatchObject({ disabled: false });
      expect(await status({ token: bob.token })).toBe(200);
      // The sessions ended for good: re-enabling does not revive them.
      expect(await status({ cookie: bob.cookie })).toBe(401);
      expect((await login(mail, 'bobs password')).res.statusCode).toBe(200);
    },
  );

  it.runIf(available)('the last active admin cannot be disabled, demoted or deleted (409)', async () => {
    const list = await call(admin, 'GET', '/api/admin/users');
    // Earlier tests made another admin; demote every admin but the first so one remains.
    for (const u of list.json().users as { id: number; role: string }[]) {
      if (u.role === 'admin' && u.id !== admin.userId) {
        expect((await call(admin, 'PATCH', `/api/admin/users/${u.id}`, { role: 'user' })).statusCode).toBe(
          200,
        );
      }
    }
    for (const [method, url, payload] of [
      ['PATCH', `/api/admin/users/${admin.userId}`, { disabled: true }],
      ['PATCH', `/api/admin/users/${admin.userId}`, { role: 'user' }],
      ['DELETE', `/api/admin/users/${admin.userId}`, { confirm: 'admin@example.com' }],
    ] as const) {
      const res = await call(admin, method, url, payload);
      expect(res.statusCode, `${method} ${JSON.stringify(payload)}`).toBe(409);
      expect(res.json().error.code).toBe('last_admin');
    }
    expect(await status(admin)).toBe(200);
  });

  it.runIf(available)('two admins demoting each other at once leave one admin', async () => {
    const a = await call(admin, 'POST', '/api/admin/users', {
      email: email(),
      password: 'a good password',
      role: 'admin',
    });
    const a2 = await addUser(t.app, admin.token, email());
    await call(admin, 'PATCH', `/api/admin/users/${a2.userId}`, { role: 'admin' });
    // Leave exactly these two admins, then let each demote the other concurrently.
    expect(
      (await call({ token: a2.token }, 'PATCH', `/api/admin/users/${a.json().id}`, { role: 'user' }))
        .statusCode,
    ).toBe(200);
    const other = await addUser(t.app, a2.token, email());
    await call({ token: a2.token }, 'PATCH', `/api/admin/users/${other.userId}`, { role: 'admin' });
    await call({ token: a2.token }, 'PATCH', `/api/admin/users/${admin.userId}`, { role: 'user' });
    const [x, y] = await Promise.all([
      call({ token: a2.token }, 'PATCH', `/api/admin/users/${other.userId}`, { role: 'user' }),
      call({ token: other.token }, 'PATCH', `/api/admin/users/${a2.userId}`, { role: 'user' }),
    ]);
    expect([x.statusCode, y.statusCode].sort()).toEqual([200, 409]);
    const admins = (await t.ctx.userAdmin.list({ id: 0, email: '', role: 'admin', via: 'token' })).filter(
      (u) => u.role === 'admin' && !u.disabled,
    );
    expect(admins).toHaveLength(1);
    // Put the original admin back for the tests that follow.
    const keeper = admins[0]?.id === a2.userId ? a2 : other;
    expect(
      (await call({ token: keeper.token }, 'PATCH', `/api/admin/users/${admin.userId}`, { role: 'admin' }))
        .statusCode,
    ).toBe(200);
  });

  it.runIf(available)(
    "deleting needs the email as confirmation and takes the user's assets and blobs with them",
    async () => {
      const mail = email();
      const bob = await addUser(t.app, admin.token, mail);
      const own = await makePng(30, 20, 7);
      const shared = await makePng(30, 20, 8);
      const up = async (who: Caller, png: Buffer) => {
        const res = await call(who, 'POST', '/api/content-assets/upload', {
          image_base64: png.toString('base64'),
        });
        expect(res.statusCode, res.body).toBe(201);
        return res.json<{ id: number; sha256: string }>();
      };
      const mine = await up({ token: bob.token }, own);
      const bobsShared = await up({ token: bob.token }, shared);
      const adminsShared = await up(admin, shared);
      const trashed = await up({ token: bob.token }, await makePng(30, 20, 9));
      expect(
        (await call({ token: bob.token }, 'DELETE', `/api/content-assets/${trashed.id}`)).statusCode,
      ).toBe(200);
      const thumbs = await t.ctx.db.kysely
        .selectFrom('assets')
        .select(['thumb_small_sha256', 'thumb_large_sha256'])
        .where('id', '=', mine.id)
        .executeTakeFirstOrThrow();

      const wrong = await call(admin, 'DELETE', `/api/admin/users/${bob.userId}`, {
        confirm: 'someone@else.com',
      });
      expect(wrong.statusCode).toBe(422);
      expect(wrong.json().error.code).toBe('confirmation_mismatch');
      expect(await status({ token: bob.token })).toBe(200);

      const running = await t.ctx.jobs.submit(bob.userId, 'test.hold', { name: `bob-${dialect}` });
      await expect.poll(() => held.has(`bob-${dialect}`)).toBe(true);
      const gone = await call(admin, 'DELETE', `/api/admin/users/${bob.userId}`, {
        confirm: mail.toUpperCase(),
      });
      expect(gone.statusCode, gone.body).toBe(200);
      expect(await status({ token: bob.token })).toBe(401);
      // Their running job was canceled before their library went, and its row went with them.
      expect(held.get(`bob-${dialect}`)?.aborted).toBe(true);
      const jobRows = await t.ctx.db.kysely
        .selectFrom('jobs')
        .select('id')
        .where('id', '=', running.id)
        .execute();
      expect(jobRows).toEqual([]);
      const rows = await t.ctx.db.kysely
        .selectFrom('assets')
        .select('id')
        .where('user_id', '=', bob.userId)
        .execute();
      expect(rows).toEqual([]);
      expect(await t.ctx.blobs.has(mine.sha256)).toBe(false);
      expect(await t.ctx.blobs.has(trashed.sha256)).toBe(false);
      for (const sha of [thumbs.thumb_small_sha256, thumbs.thumb_large_sha256]) {
        if (sha) expect(await t.ctx.blobs.has(sha)).toBe(false);
      }
      // The same bytes in another user's library stay.
      expect(bobsShared.sha256).toBe(adminsShared.sha256);
      expect(await t.ctx.blobs.has(adminsShared.sha256)).toBe(true);
      expect((await call(admin, 'GET', `/api/content-assets/${adminsShared.id}/file`)).statusCode).toBe(200);
      const list = await call(admin, 'GET', '/api/admin/users');
      expect(list.json().users.map((u: { email: string }) => u.email)).not.toContain(mail);
      expect((await login(mail, 'another pass 2')).res.statusCode).toBe(401);
    },
  );

  it.runIf(available)(
    "an admin's password reset ends the user's sessions; the new password works",
    async () => {
      const mail = email();
      const bob = await addUser(t.app, admin.token, mail, 'old password 1');
      const res = await call(admin, 'POST', `/api/admin/users/${bob.userId}/password`, {
        password: 'new password 2',
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(await status({ cookie: bob.cookie })).toBe(401);
      expect((await login(mail, 'old password 1')).res.statusCode).toBe(401);
      expect((await login(mail, 'new password 2')).res.statusCode).toBe(200);
      const short = await call(admin, 'POST', `/api/admin/users/${bob.userId}/password`, {
        password: 'short',
      });
      expect(short.statusCode).toBe(400);
    },
  );

  it.runIf(available)(
    'credits granted by an admin go through the ledger once per idempotency key',
    async () => {
      const bob = await addUser(t.app, admin.token, email());
      const before = (await call(admin, 'GET', `/api/admin/users/${bob.userId}/credits`)).json().balance;
      const grant = { amount: 250, reason: 'welcome', idempotency_key: 'welcome-1' };
      for (let i = 0; i < 2; i++) {
        const res = await call(admin, 'POST', `/api/admin/users/${bob.userId}/credits`, grant);
        expect(res.statusCode, res.body).toBe(200);
        expect(res.json().balance).toBe(before + 250);
      }
      const listed = (await call(admin, 'GET', '/api/admin/users'))
        .json()
        .users.find((u: { id: number }) => u.id === bob.userId);
      expect(listed.balance).toBe(before + 250);
      const history = await call({ token: bob.token }, 'GET', '/api/credits/history');
      expect(history.json().items.filter((e: { kind: string }) => e.kind === 'grant')).toHaveLength(1);
    },
  );

  it.runIf(available)(
    'changing your password needs the current one and ends your other sessions, keeping this one',
    async () => {
      const mail = email();
      const bob = await addUser(t.app, admin.token, mail, 'first password');
      const other = await login(mail, 'first password');
      const wrong = await call({ cookie: bob.cookie }, 'POST', '/api/account/password', {
        current_password: 'not it at all',
        new_password: 'second password',
      });
      expect(wrong.statusCode).toBe(422);
      expect(wrong.json().error.code).toBe('wrong_password');
      expect(await status({ cookie: other.cookie })).toBe(200);

      const ok = await call({ cookie: bob.cookie }, 'POST', '/api/account/password', {
        current_password: 'first password',
        new_password: 'second password',
      });
      expect(ok.statusCode, ok.body).toBe(200);
      expect(await status({ cookie: bob.cookie })).toBe(200);
      expect(await status({ cookie: other.cookie })).toBe(401);
      // API tokens are not sessions: they keep working until revoked.
      expect(await status({ token: bob.token })).toBe(200);
      expect((await login(mail, 'first password')).res.statusCode).toBe(401);
      expect((await login(mail, 'second password')).res.statusCode).toBe(200);
    },
  );

  it.runIf(available)('you see your sessions and can end one, or every other one', async () => {
    const mail = email();
    const bob = await addUser(t.app, admin.token, mail);
    const second = await login(mail, 'another pass 2');
    const third = await login(mail, 'another pass 2');
    const list = await call({ cookie: bob.cookie }, 'GET', '/api/account/sessions');
    expect(list.statusCode).toBe(200);
    const sessions = list.json().sessions as { id: string; current: boolean }[];
    expect(sessions).toHaveLength(3);
    expect(sessions.filter((s) => s.current)).toHaveLength(1);

    const fromSecond = await call({ cookie: second.cookie }, 'GET', '/api/account/sessions');
    const secondId = fromSecond.json().sessions.find((s: { current: boolean }) => s.current).id;
    expect(
      (await call({ cookie: bob.cookie }, 'DELETE', `/api/account/sessions/${secondId}`)).statusCode,
    ).toBe(200);
    expect(await status({ cookie: second.cookie })).toBe(401);
    expect(await status({ cookie: third.cookie })).toBe(200);
    const again = await call({ cookie: bob.cookie }, 'DELETE', `/api/account/sessions/${secondId}`);
    expect(again.statusCode).toBe(404);
    // Another user's session id is not yours to end.
    const adminsId = (await call({ cookie: admin.cookie }, 'GET', '/api/account/sessions')).json().sessions[0]
      ?.id;
    if (adminsId)
      expect(
        (await call({ cookie: bob.cookie }, 'DELETE', `/api/account/sessions/${adminsId}`)).statusCode,
      ).toBe(404);

    expect((await call({ cookie: bob.cookie }, 'POST', '/api/account/sessions/end-others')).statusCode).toBe(
      200,
    );
    expect(await status({ cookie: third.cookie })).toBe(401);
    expect(await status({ cookie: bob.cookie })).toBe(200);
  });

  it.runIf(available)('a token with an expiry says so, and an expired or revoked token is 401', async () => {
    const bob = await addUser(t.app, admin.token, email());
    const made = await call({ token: bob.token }, 'POST', '/api/tokens', { name: 'ci', expires_in_days: 7 });
    expect(made.statusCode, made.body).toBe(201);
    const days = (Date.parse(made.json().expires_at) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.9);
    expect(days).toBeLessThanOrEqual(7);
    const ci = made.json<{ id: number; token: string }>();
    expect(await status({ token: ci.token })).toBe(200);
    const listed = (await call({ token: bob.token }, 'GET', '/api/tokens')).json().tokens;
    expect(listed.find((x: { id: number }) => x.id === ci.id)).toMatchObject({
      expires_at: made.json().expires_at,
    });
    expect(listed.find((x: { id: number }) => x.id === ci.id).last_used_at).toBeTruthy();

    await t.ctx.db.kysely
      .updateTable('api_tokens')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('id', '=', ci.id)
      .execute();
    const expired = await call({ token: ci.token }, 'GET', '/api/auth/me');
    expect(expired.statusCode).toBe(401);
    expect(expired.json().error.code).toBe('unauthorized');

    const revoked = await call({ token: bob.token }, 'POST', '/api/tokens', { name: 'revoke me' });
    const { id, token } = revoked.json<{ id: number; token: string }>();
    expect((await call({ token: bob.token }, 'DELETE', `/api/tokens/${id}`)).statusCode).toBe(200);
    expect(await status({ token })).toBe(401);

    const bad = await call({ token: bob.token }, 'POST', '/api/tokens', { name: 'x', expires_in_days: 0 });
    expect(bad.statusCode).toBe(400);
  });

  it.runIf(available)('expired sessions are 401 and the sweep deletes them', async () => {
    const bob = await addUser(t.app, admin.token, email());
    await t.ctx.db.kysely
      .updateTable('sessions')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('user_id', '=', bob.userId)
      .execute();
    expect(await status({ cookie: bob.cookie })).toBe(401);
    const expired = () =>
      t.ctx.db.kysely
        .selectFrom('sessions')
        .select('id')
        .where('expires_at', '<=', new Date().toISOString())
        .execute();
    expect((await expired()).length).toBeGreaterThanOrEqual(1);
    // The sweeper the context runs hourly; its first sweep comes right after start.
    const sweeper = new SessionSweeper(t.ctx.auth, t.ctx.log);
    sweeper.start();
    await expect.poll(async () => (await expired()).length).toBe(0);
    await sweeper.stop();
    expect(await status(admin)).toBe(200);
  });
});

describe('a changed APP_SECRET', () => {
  it('stops the start with a clear error instead of failing every provider call', async () => {
    const first = await startTestApp({
      env: { APP_SECRET: 'the first secret, long enough for the config check' },
    });
    const { dataDir, env } = first;
    await first.close();
    await expect(
      startTestApp({
        reuse: { dataDir, env: { ...env, APP_SECRET: 'another secret, long enough for the config check' } },
      }),
    ).rejects.toThrow(/server secret does not match.*Set APP_SECRET back to its previous value/);
    const again = await startTestApp({ reuse: { dataDir, env } });
    expect((await again.app.inject({ url: '/api/image-studio/health' })).statusCode).toBe(200);
    await again.close();
  });
});
