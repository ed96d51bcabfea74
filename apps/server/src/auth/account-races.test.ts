import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasPostgres } from '../../../../test/support/backends.ts';
import { bearer, startTestApp, type TestApp } from '../../../../test/support/test-app.ts';

const PARALLEL = 20;

describe.each([
  ['sqlite', true],
  ['postgres', hasPostgres()],
] as const)('racing account creation on %s', (dialect, available) => {
  let t: TestApp;
  beforeAll(async () => {
    if (available) {
      t = await startTestApp({ dialect });
    }
  });
  afterAll(async () => t?.close());

  it.runIf(available)(`${PARALLEL} parallel first-run setups make exactly one admin`, async () => {
    const answers = await Promise.all(
      Array.from({ length: PARALLEL }, (_, i) =>
        t.app.inject({
          method: 'POST',
          url: '/api/auth/setup',
          // Each from its own address, so the per-address sign-in limit is not what refuses them.
          remoteAddress: `10.0.0.${i + 1}`,
          payload: { email: `admin${i}@example.com`, password: 'correct horse 1' },
        }),
      ),
    );
    const statuses = answers.map((a) => a.statusCode).sort();
    expect(statuses).toEqual([201, ...Array<number>(PARALLEL - 1).fill(409)]);
    for (const refused of answers.filter((a) => a.statusCode === 409)) {
      expect(refused.json().error.code).toBe('already_set_up');
    }
    const users = await t.ctx.db.kysely.selectFrom('users').select(['email', 'role']).execute();
    const winner = answers.find((a) => a.statusCode === 201)?.json<{ email: string }>().email;
    expect(users).toEqual([{ email: winner, role: 'admin' }]);
  });

  it.runIf(available)(`${PARALLEL} parallel creations of one email make one user, the rest 409`, async () => {
    const admin = (await t.ctx.db.kysely.selectFrom('users').select('id').executeTakeFirstOrThrow()).id;
    const { token } = await t.ctx.auth.createToken(
      { id: admin, email: 'admin@example.com', role: 'admin', via: 'token' },
      'races',
    );
    const answers = await Promise.all(
      Array.from({ length: PARALLEL }, (_, i) =>
        t.app.inject({
          method: 'POST',
          url: '/api/users',
          headers: bearer(token),
          payload: { email: i % 2 ? 'Same@Example.com' : 'same@example.com', password: `password ${i}` },
        }),
      ),
    );
    const statuses = answers.map((a) => a.statusCode).sort();
    expect(statuses).toEqual([201, ...Array<number>(PARALLEL - 1).fill(409)]);
    for (const refused of answers.filter((a) => a.statusCode === 409)) {
      expect(refused.json().error).toMatchObject({
        code: 'email_taken',
        message: 'A user with email same@example.com already exists.',
      });
    }
    const rows = await t.ctx.db.kysely
      .selectFrom('users')
      .select('email')
      .where('email', '=', 'same@example.com')
      .execute();
    expect(rows).toHaveLength(1);
  });
});
