import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasPostgres } from '../../../../test/support/backends.ts';
import { addUser, setupAdmin, startTestApp, type TestApp } from '../../../../test/support/test-app.ts';
import type { AuthUser } from '../auth/auth.service.ts';
import { isAppError } from '../errors.ts';
import { JobRepository } from '../jobs/job.repository.ts';
import { CATALOGUES } from '../providers/catalog.ts';
import { nearestSize } from '../providers/sizing.ts';
import { BillingService } from './billing.service.ts';
import type { BillingTables } from './billing.tables.ts';
import { CreditRepository } from './credit.repository.ts';

const admin = (id: number): AuthUser => ({ id, email: 'admin@example.com', role: 'admin', via: 'token' });

async function rejection(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    if (isAppError(e)) return { status: e.status, code: e.code, details: e.details };
    throw e;
  }
  throw new Error('expected a rejection');
}

describe.each([
  ['sqlite', true],
  ['postgres', hasPostgres()],
] as const)('billing service on %s', (dialect, available) => {
  let t: TestApp;
  let billing: BillingService;
  let adminId: number;
  let adminToken: string;
  let n = 0;

  const ledger = (userId: number) =>
    t.ctx.db.kysely
      .withTables<BillingTables>()
      .selectFrom('credit_ledger')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('id')
      .execute();
  const reservations = (userId: number) =>
    t.ctx.db.kysely
      .withTables<BillingTables>()
      .selectFrom('credit_reservations')
      .selectAll()
      .where('user_id', '=', userId)
      .execute();
  const balance = async (userId: number) => (await billing.summary(userId)).balance;

  /** A user on `plan` whose balance is exactly `credits`. */
  async function userWith(credits: number, plan: 'free' | 'basic' | 'pro' | 'enterprise' = 'enterprise') {
    n++;
    const userId = (await t.ctx.auth.createUser(admin(adminId), `u${n}@example.com`, 'a password 123')).id;
    await billing.setPlan(admin(adminId), userId, plan);
    const start = await balance(userId);
    if (credits !== start) await billing.grant(admin(adminId), userId, credits - start, 'test setup');
    expect(await balance(userId)).toBe(credits);
    return userId;
  }

  beforeAll(async () => {
    if (!available) return;
    t = await startTestApp({ dialect });
    billing = t.ctx.billing;
    const a = await setupAdmin(t.app);
    adminId = a.userId;
    adminToken = a.token;
  });
  afterAll(async () => t?.close());

  it.runIf(available)(
    'opens accounts lazily: admin on enterprise, users on free, one allowance a month',
    async () => {
      const adminSummary = await billing.summary(adminId);
      expect(adminSummary.plan.id).toBe('enterprise');
      expect(adminSummary.balance).toBe(50_000);
      const { userId } = await addUser(t.app, adminToken, 'fresh@example.com');
      const results = await Promise.all(Array.from({ length: 8 }, () => billing.summary(userId)));
      expect(results.every((r) => r.plan.id === 'free' && r.balance === 200)).toBe(true);
      const rows = await ledger(userId);
      expect(rows.map((r) => [r.kind, r.amount, r.balance_after])).toEqual([
        ['monthly_allowance', 20_000, 20_000],
      ]);
    },
  );

  it.runIf(available)('grants the allowance lazily once per calendar month', async () => {
    let now = new Date('2031-01-31T23:59:00.000Z');
    const clocked = new BillingService({
      repo: new CreditRepository(t.ctx.db.kysely.withTables<BillingTables>()),
      availableProviders: async () => [],
      clock: () => now,
    });
    const userId = (await t.ctx.auth.createUser(admin(adminId), 'months@example.com', 'a password 123')).id;
    await Promise.all([clocked.summary(userId), clocked.summary(userId)]);
    expect((await clocked.summary(userId)).balance).toBe(200);
    now = new Date('2031-02-01T00:00:01.000Z');
    expect(await clocked.summary(userId)).toMatchObject({ period: '2031-02', balance: 400 });
    await clocked.summary(userId);
    const rows = (await ledger(userId)).map((r) => [r.kind, r.idempotency_key, r.balance_after / 100]);
    expect(rows).toEqual([
      ['monthly_allowance', `allowance:${userId}:2031-01`, 200],
      ['monthly_allowance', `allowance:${userId}:2031-02`, 400],
    ]);
  });

  it.runIf(available)('charges exactly the estimate for every operation in the price table', async () => {
    const userId = await userWith(100_000);
    let expected = 100_000;
    for (const cat of Object.values(CATALOGUES)) {
      for (const model of cat.models) {
        for (const operation of model.operations) {
          const target = { width: 1216, height: 832 };
          const estimate = await billing.estimate(userId, {
            provider: cat.provider,
            model: model.id,
            operation,
            num_images: 2,
            width: target.width,
            height: target.height,
            quality: 'standard',
          });
          const jobId = randomUUID();
          const produced = nearestSize(model, target);
          await billing.withCharge(
            { jobId, userId },
            { provider: cat.provider, model: model.id, operation, count: 2, ...target },
            async (meter) => {
              expect(meter.quote.totalCredits).toBe(estimate.total_credits);
              for (let i = 0; i < 2; i++) {
                meter.delivered({ provider: cat.provider, model: model.id, operation, ...produced });
              }
            },
          );
          const label = `${cat.provider}/${model.id} ${operation}`;
          const held = (await reservations(userId)).find((r) => r.job_id === jobId);
          if (estimate.total_credits === 0) {
            expect(held, label).toBeUndefined();
          } else {
            expect(held?.status, label).toBe('captured');
            expect((held?.captured ?? 0) / 100, label).toBe(estimate.total_credits);
          }
          expected = Math.round((expected - estimate.total_credits) * 100) / 100;
          expect(await balance(userId), label).toBe(expected);
          expect(estimate.total_cost).toBeCloseTo(estimate.total_credits / 100, 10);
        }
      }
    }
  });

  it.runIf(available)(
    'releases the reservation when the job fails, and the ledger tells the story',
    async () => {
      const userId = await userWith(100);
      const jobId = randomUUID();
      const failure = billing.withCharge(
        { jobId, userId },
        { provider: 'stability', model: 'ultra', operation: 'create', count: 2 },
        async () => {
          expect(await balance(userId)).toBe(84);
          throw new Error('provider exploded');
        },
      );
      await expect(failure).rejects.toThrow('provider exploded');
      expect(await balance(userId)).toBe(100);
      const story = (await ledger(userId)).filter((r) => r.job_id === jobId);
      expect(story.map((r) => [r.kind, r.amount / 100, r.balance_after / 100])).toEqual([
        ['reserve', -16, 84],
        ['release', 16, 100],
      ]);
      expect(story[1]?.note).toBe('job failed: internal_error');
    },
  );

  it.runIf(available)('charges only delivered images and refunds the rest', async () => {
    const userId = await userWith(100);
    const jobId = randomUUID();
    await billing.withCharge(
      { jobId, userId },
      { provider: 'stability', model: 'core', operation: 'create', count: 3 },
      async (meter) => {
        meter.delivered({
          provider: 'stability',
          model: 'core',
          operation: 'create',
          width: 1216,
          height: 1216,
        });
      },
    );
    expect(await balance(userId)).toBe(97);
    const story = (await ledger(userId)).filter((r) => r.job_id === jobId);
    expect(story.map((r) => [r.kind, r.amount / 100, r.balance_after / 100])).toEqual([
      ['reserve', -9, 91],
      ['capture', 0, 91],
      ['refund', 6, 97],
    ]);
    expect((await billing.summary(userId)).used_this_month).toBe(3);
  });

  it.runIf(available)('releases everything when the job is canceled while it runs', async () => {
    const userId = await userWith(50);
    const abort = new AbortController();
    await billing.withCharge(
      { jobId: randomUUID(), userId, signal: abort.signal },
      { provider: 'stability', model: 'ultra', operation: 'create', count: 1 },
      async (meter) => {
        meter.delivered({
          provider: 'stability',
          model: 'ultra',
          operation: 'create',
          width: 1024,
          height: 1024,
        });
        abort.abort();
      },
    );
    expect(await balance(userId)).toBe(50);
  });

  it.runIf(available)(
    '50 concurrent reservations against a balance for 10 succeed exactly 10 times',
    async () => {
      const userId = await userWith(10);
      const outcomes = await Promise.allSettled(
        Array.from({ length: 50 }, () =>
          billing.reserve({ userId, jobId: randomUUID(), credits: 1, idempotencyKey: randomUUID() }),
        ),
      );
      const ok = outcomes.filter((o) => o.status === 'fulfilled');
      const refused = outcomes.filter((o) => o.status === 'rejected');
      expect(ok).toHaveLength(10);
      expect(refused).toHaveLength(40);
      for (const r of refused) {
        expect(r.status === 'rejected' && isAppError(r.reason) && r.reason.code).toBe('insufficient_credits');
      }
      expect(await balance(userId)).toBe(0);
      const rows = await ledger(userId);
      expect(rows.filter((r) => r.kind === 'reserve')).toHaveLength(10);
      expect(rows.every((r) => r.balance_after >= 0)).toBe(true);
      expect((await reservations(userId)).filter((r) => r.status === 'reserved')).toHaveLength(10);
    },
  );

  it.runIf(available)('replaying an idempotency key charges once, even concurrently', async () => {
    const userId = await userWith(100);
    const jobId = randomUUID();
    const key = `create:${jobId}`;
    const first = await billing.reserve({ userId, jobId, credits: 8, idempotencyKey: key });
    const again = await billing.reserve({ userId, jobId, credits: 8, idempotencyKey: key });
    expect(first.replayed).toBe(false);
    expect(again).toMatchObject({ replayed: true, credits: 8, balance: 92 });

    const jobId2 = randomUUID();
    const burst = await Promise.all(
      Array.from({ length: 10 }, () =>
        billing.reserve({ userId, jobId: jobId2, credits: 5, idempotencyKey: `k:${jobId2}` }),
      ),
    );
    expect(burst.filter((r) => !r.replayed)).toHaveLength(1);
    expect(await balance(userId)).toBe(87);
    expect((await ledger(userId)).filter((r) => r.kind === 'reserve')).toHaveLength(2);
    expect(
      await rejection(billing.reserve({ userId, jobId: randomUUID(), credits: 5, idempotencyKey: key })),
    ).toMatchObject({ status: 409, code: 'idempotency_conflict' });

    await billing.release(jobId);
    await billing.release(jobId);
    await billing.capture(jobId, 8);
    await billing.capture(jobId2, 5);
    await billing.capture(jobId2, 5);
    await billing.release(jobId2);
    expect(await balance(userId)).toBe(95);
    const kinds = (await ledger(userId)).filter((r) => r.kind !== 'grant' && r.kind !== 'monthly_allowance');
    expect(kinds.map((r) => r.kind)).toEqual(['reserve', 'reserve', 'release', 'capture']);
  });

  it.runIf(available)('a lost job gives its reservation back; a retried job reuses its hold', async () => {
    const userId = await userWith(40);
    const jobs = new JobRepository(t.ctx.db.kysely);
    const now = new Date().toISOString();
    const lost = randomUUID();
    await jobs.create({ id: lost, user_id: userId, type: 'test.lost', input: '{}', now });
    await jobs.start(lost, now);
    await billing.reserve({ userId, jobId: lost, credits: 8, idempotencyKey: `job:${lost}` });
    expect(await billing.settleAbandoned(lost)).toBe('kept');
    await t.ctx.jobs.markLost(lost);
    expect(await billing.settleAbandoned(lost)).toBe('released');
    expect(await balance(userId)).toBe(40);
    await expect(
      billing.withCharge(
        { jobId: lost, userId },
        { provider: 'stability', model: 'ultra', operation: 'create', count: 1 },
        async () => 'late',
      ),
    ).rejects.toMatchObject({ status: 409, code: 'already_settled' });

    const retried = randomUUID();
    await billing.reserve({ userId, jobId: retried, credits: 8, idempotencyKey: `job:${retried}` });
    await billing.withCharge(
      { jobId: retried, userId },
      { provider: 'stability', model: 'ultra', operation: 'create', count: 1 },
      async (meter) =>
        meter.delivered({
          provider: 'stability',
          model: 'ultra',
          operation: 'create',
          width: 1024,
          height: 1024,
        }),
    );
    expect(await balance(userId)).toBe(32);
    expect((await ledger(userId)).filter((r) => r.job_id === retried).map((r) => r.kind)).toEqual([
      'reserve',
      'capture',
    ]);
  });

  it.runIf(available)('pre-flight refuses with the numbers and writes nothing', async () => {
    const userId = await userWith(5, 'free');
    const before = await ledger(userId);
    const jobId = randomUUID();
    let called = false;
    const attempt = (spec: Parameters<BillingService['withCharge']>[1]) =>
      rejection(
        billing.withCharge({ jobId, userId }, spec, async () => {
          called = true;
        }),
      );
    expect(await attempt({ provider: 'stability', model: 'ultra', operation: 'create', count: 1 })).toEqual({
      status: 403,
      code: 'plan_limit',
      details: {
        plan: 'free',
        limit: 'providers',
        allowed: ['local', 'huggingface', 'wavespeed'],
        requested: 'stability',
      },
    });
    expect(
      await attempt({
        provider: 'huggingface',
        model: 'black-forest-labs/FLUX.1-schnell',
        operation: 'create',
        count: 3,
      }),
    ).toEqual({
      status: 403,
      code: 'plan_limit',
      details: { plan: 'free', limit: 'max_variations', allowed: 2, requested: 3 },
    });
    expect(
      await attempt({
        provider: 'huggingface',
        model: 'black-forest-labs/FLUX.1-schnell',
        operation: 'create',
        count: 1,
        width: 4096,
        height: 1024,
      }),
    ).toEqual({
      status: 403,
      code: 'plan_limit',
      details: { plan: 'free', limit: 'max_side', allowed: 2048, requested: 4096 },
    });
    expect(
      await attempt({
        provider: 'wavespeed',
        model: 'ideogram-ai/ideogram-v3-quality',
        operation: 'create',
        count: 1,
      }),
    ).toEqual({
      status: 402,
      code: 'insufficient_credits',
      details: { required: 9, balance: 5, shortfall: 4 },
    });
    expect(called).toBe(false);
    expect(await ledger(userId)).toEqual(before);
    expect(await reservations(userId)).toEqual([]);
    expect(await balance(userId)).toBe(5);
  });

  it.runIf(available)('limits paid jobs per minute by plan', async () => {
    const userId = await userWith(100, 'free');
    for (let i = 0; i < 10; i++) {
      await billing.reserve({ userId, jobId: randomUUID(), credits: 1, idempotencyKey: randomUUID() });
    }
    const refused = await rejection(
      billing.assertAllowed(userId, { provider: 'wavespeed', variations: 1, credits: 1 }),
    );
    expect(refused).toMatchObject({ status: 429, code: 'rate_limited', details: { retry_after: 60 } });
  });

  it.runIf(available)('admin grants and corrections never take the balance below zero', async () => {
    const userId = await userWith(10);
    expect(await rejection(billing.grant(admin(adminId), userId, -11, 'oops'))).toMatchObject({
      status: 409,
      code: 'balance_too_low',
    });
    await billing.grant(admin(adminId), userId, 2.5, 'goodwill', 'ticket-1');
    await billing.grant(admin(adminId), userId, 2.5, 'goodwill', 'ticket-1');
    expect(await balance(userId)).toBe(12.5);
    expect(
      await rejection(billing.grant({ ...admin(userId), role: 'user' }, userId, 5, 'self-service')),
    ).toMatchObject({ status: 403, code: 'forbidden' });
    expect(await rejection(billing.setPlan(admin(adminId), 999_999, 'pro'))).toMatchObject({
      status: 404,
      code: 'not_found',
    });
  });
});
