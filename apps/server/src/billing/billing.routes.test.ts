import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasPostgres } from '../../../../test/support/backends.ts';
import {
  addUser,
  bearer,
  setupAdmin,
  startTestApp,
  type TestApp,
} from '../../../../test/support/test-app.ts';
import type { ContextOptions } from '../context.ts';
import { AppError } from '../errors.ts';
import { JobRepository } from '../jobs/job.repository.ts';

interface ChargedInput {
  provider: 'stability' | 'wavespeed';
  model: string;
  count: number;
  deliver: number;
  fail?: boolean;
}

/** A job handler wired the way studio handlers are: everything billable inside `withCharge`. */
const registerChargedJob: NonNullable<ContextOptions['registerJobs']> = (registry, ctx) =>
  registry.register<ChargedInput, { delivered: number }>({
    type: 'test.charged',
    run: (job) =>
      ctx.billing.withCharge(
        job,
        { provider: job.input.provider, model: job.input.model, operation: 'create', count: job.input.count },
        async (meter) => {
          if (job.input.fail) throw new AppError(503, 'provider_unavailable', 'The provider is down.');
          for (let i = 0; i < job.input.deliver; i++) {
            meter.delivered({
              provider: job.input.provider,
              model: job.input.model,
              operation: 'create',
              width: 1024,
              height: 1024,
            });
          }
          return { delivered: job.input.deliver };
        },
      ),
  });

describe.each([
  ['sqlite', true],
  ['postgres', hasPostgres()],
] as const)('billing API on %s', (dialect, available) => {
  let t: TestApp;
  let adminToken: string;
  let userToken: string;
  let userId: number;

  const credits = async (token: string) =>
    (await t.app.inject({ url: '/api/credits', headers: bearer(token) })).json<{ balance: number }>().balance;

  beforeAll(async () => {
    if (!available) return;
    t = await startTestApp({ dialect, registerJobs: registerChargedJob });
    adminToken = (await setupAdmin(t.app)).token;
    const user = await addUser(t.app, adminToken, 'user@example.com');
    userToken = user.token;
    userId = user.userId;
  });
  afterAll(async () => t?.close());

  const estimate = (payload: Record<string, unknown>, token = userToken) =>
    t.app.inject({ method: 'POST', url: '/api/image-studio/estimate-cost', headers: bearer(token), payload });

  it.runIf(available)(
    'estimate-cost keeps the original fields and adds credits, breakdown, auto and affordability',
    async () => {
      const res = await estimate({ provider: 'stability', model: 'ultra', num_images: 2 });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({
        provider: 'stability',
        model: 'ultra',
        operation: 'create',
        quality: 'standard',
        num_images: 2,
        resolution: 'default',
        cost_per_image: 0.08,
        total_cost: 0.16,
        currency: 'USD',
        estimated: true,
        credits_per_image: 8,
        total_credits: 16,
        breakdown: [
          {
            label: 'Stable Image Ultra',
            provider: 'stability',
            model: 'ultra',
            operation: 'create',
            size_tier: null,
            quantity: 2,
            credits_each: 8,
            credits: 16,
          },
        ],
        auto: { provider: 'local', model: 'layout' },
        balance: 200,
        can_afford: true,
        within_plan: false,
      });
    },
  );

  it.runIf(available)('estimates any operation, seed model keys, sizes and local work', async () => {
    const edit = (await estimate({ provider: 'stability', operation: 'edit.search_recolor' })).json();
    expect(edit).toMatchObject({ model: 'search-and-recolor', operation: 'edit.search_recolor' });
    expect(edit.total_credits).toBeGreaterThan(0);
    const sd3 = (
      await estimate({ provider: 'stability', model: 'sd3', num_images: 3, width: 1080, height: 1350 })
    ).json();
    expect(sd3).toMatchObject({
      model: 'sd3.5-large',
      resolution: '1080x1350',
      credits_per_image: 6.5,
      total_credits: 19.5,
    });
    expect(sd3.total_cost).toBeCloseTo(0.195, 10);
    const gemini4k = (
      await estimate(
        { provider: 'gemini', model: 'gemini-3-pro-image', width: 3840, height: 3840 },
        adminToken,
      )
    ).json();
    expect(gemini4k).toMatchObject({ credits_per_image: 24, within_plan: true });
    expect(gemini4k.breakdown[0].size_tier).toBe('4K');
    const social = (await estimate({ operation: 'social.optimize', num_images: 12 })).json();
    expect(social).toMatchObject({
      provider: 'local',
      model: null,
      total_credits: 0,
      total_cost: 0,
      can_afford: true,
    });
    const auto = (await estimate({ provider: 'auto', operation: 'create', quality: 'premium' })).json();
    expect(auto).toMatchObject({
      provider: 'local',
      model: 'layout',
      total_credits: 0,
      auto: { provider: 'local' },
    });
  });

  it.runIf(available)(
    'estimate-cost refuses unknown operations, models and impossible combinations',
    async () => {
      for (const [payload, code] of [
        [{ provider: 'stability', operation: 'edit.teleport' }, 'bad_request'],
        [{ provider: 'stability', model: 'nope' }, 'bad_request'],
        [{ provider: 'stability', model: 'ultra', operation: 'upscale.fast' }, 'bad_request'],
        [{ provider: 'auto', operation: 'upscale.creative' }, 'no_provider'],
        [{ provider: 'ideogram' }, 'validation_failed'],
        [{ provider: 'stability', num_images: 0 }, 'validation_failed'],
      ] as const) {
        const res = await estimate(payload);
        expect(res.json().error.code, JSON.stringify(payload)).toBe(code);
      }
    },
  );

  it.runIf(available)('a charged job captures its estimate; a failed one gives everything back', async () => {
    const before = await credits(userToken);
    const est = (await estimate({ provider: 'wavespeed', model: 'ideogram-v3-turbo', num_images: 2 })).json();
    const { result } = await t.ctx.jobs.runUntyped(userId, 'test.charged', {
      provider: 'wavespeed',
      model: 'ideogram-ai/ideogram-v3-turbo',
      count: 2,
      deliver: 2,
    });
    expect(result).toMatchObject({ delivered: 2 });
    expect(await credits(userToken)).toBe(before - est.total_credits);

    await expect(
      t.ctx.jobs.runUntyped(userId, 'test.charged', {
        provider: 'wavespeed',
        model: 'ideogram-ai/ideogram-v3-turbo',
        count: 2,
        deliver: 0,
        fail: true,
      }),
    ).rejects.toMatchObject({ status: 503, code: 'provider_unavailable' });
    expect(await credits(userToken)).toBe(before - est.total_credits);

    const history = (
      await t.app.inject({ url: '/api/credits/history?page_size=3', headers: bearer(userToken) })
    ).json();
    expect(history.items.map((i: { kind: string; amount: number }) => [i.kind, i.amount])).toEqual([
      ['release', 6],
      ['reserve', -6],
      ['capture', 0],
    ]);
    expect(history.page_size).toBe(3);
    expect(history.total).toBe(5);
    const older = (
      await t.app.inject({ url: '/api/credits/history?page_size=3&page=2', headers: bearer(userToken) })
    ).json();
    expect(older.items.map((i: { kind: string }) => i.kind)).toEqual(['reserve', 'monthly_allowance']);
  });

  it.runIf(available)(
    'a job the plan forbids or the balance cannot pay fails before any work with the numbers',
    async () => {
      const planRefusal = t.ctx.jobs.runUntyped(userId, 'test.charged', {
        provider: 'stability',
        model: 'ultra',
        count: 1,
        deliver: 1,
      });
      await expect(planRefusal).rejects.toMatchObject({
        status: 403,
        code: 'plan_limit',
        details: { plan: 'free', limit: 'providers', requested: 'stability' },
      });
      const balance = await credits(userToken);
      await t.app.inject({
        method: 'POST',
        url: `/api/admin/users/${userId}/credits`,
        headers: bearer(adminToken),
        payload: { amount: -(balance - 4), reason: 'test: leave 4 credits' },
      });
      const poor = t.ctx.jobs.runUntyped(userId, 'test.charged', {
        provider: 'wavespeed',
        model: 'ideogram-ai/ideogram-v3-turbo',
        count: 2,
        deliver: 2,
      });
      await expect(poor).rejects.toMatchObject({
        status: 402,
        code: 'insufficient_credits',
        details: { required: 6, balance: 4, shortfall: 2 },
      });
      expect(await credits(userToken)).toBe(4);
    },
  );

  it.runIf(available)('the billing routes are documented in the OpenAPI document', async () => {
    const res = await t.app.inject({ url: '/api/docs/json', headers: bearer(userToken) });
    expect(res.statusCode).toBe(200);
    const paths = Object.keys(res.json().paths);
    for (const path of [
      '/api/image-studio/estimate-cost',
      '/api/credits',
      '/api/credits/history',
      '/api/credits/plans',
      '/api/admin/users/{id}/plan',
      '/api/admin/users/{id}/credits',
    ]) {
      expect(paths).toContain(path);
    }
  });

  it.runIf(available)('GET /api/credits/plans lists the four plans in order', async () => {
    const res = await t.app.inject({ url: '/api/credits/plans', headers: bearer(userToken) });
    expect(
      res.json().plans.map((p: { id: string; monthly_credits: number }) => [p.id, p.monthly_credits]),
    ).toEqual([
      ['free', 200],
      ['basic', 2500],
      ['pro', 10000],
      ['enterprise', 50000],
    ]);
  });

  it.runIf(available)('GET /api/credits shows balance, plan and this month', async () => {
    const res = await t.app.inject({ url: '/api/credits', headers: bearer(userToken) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      user_id: userId,
      balance: 4,
      plan: { id: 'free', monthly_credits: 200, max_variations: 2, max_side: 2048 },
      period: new Date().toISOString().slice(0, 7),
      monthly_allowance: 200,
      used_this_month: 6,
      reserved: 0,
    });
  });

  it.runIf(available)('admin endpoints: plan and credits; 403 for users, 404 for unknown users', async () => {
    const put = (id: number, token: string, plan: string) =>
      t.app.inject({
        method: 'PUT',
        url: `/api/admin/users/${id}/plan`,
        headers: bearer(token),
        payload: { plan },
      });
    const grant = (id: number, token: string, payload: Record<string, unknown>) =>
      t.app.inject({
        method: 'POST',
        url: `/api/admin/users/${id}/credits`,
        headers: bearer(token),
        payload,
      });

    expect((await put(userId, userToken, 'enterprise')).json().error.code).toBe('forbidden');
    const view = (id: number, token: string) =>
      t.app.inject({ url: `/api/admin/users/${id}/credits`, headers: bearer(token) });
    expect((await view(userId, userToken)).statusCode).toBe(403);
    expect((await view(424_242, adminToken)).statusCode).toBe(404);
    expect((await view(userId, adminToken)).json()).toMatchObject({ user_id: userId, balance: 4 });
    expect((await grant(userId, userToken, { amount: 100, reason: 'me' })).statusCode).toBe(403);
    expect((await put(424_242, adminToken, 'pro')).statusCode).toBe(404);
    expect((await grant(424_242, adminToken, { amount: 1, reason: 'x' })).statusCode).toBe(404);
    expect((await put(userId, adminToken, 'platinum')).json().error.code).toBe('validation_failed');

    const upgraded = await put(userId, adminToken, 'pro');
    expect(upgraded.statusCode).toBe(200);
    expect(upgraded.json().plan).toMatchObject({ id: 'pro', max_variations: 10 });
    // The upgrade adds the difference of this month's allowance once (10 000 - 200), not again on a repeat.
    expect(upgraded.json().balance).toBe(9804);
    expect((await put(userId, adminToken, 'basic')).json().balance).toBe(9804);
    expect((await put(userId, adminToken, 'pro')).json().balance).toBe(9804);
    const key = randomUUID();
    for (let i = 0; i < 2; i++) {
      const res = await grant(userId, adminToken, { amount: 50.5, reason: 'welcome', idempotency_key: key });
      expect(res.statusCode).toBe(200);
      expect(res.json().balance).toBe(9854.5);
    }
    const last = (
      await t.app.inject({ url: '/api/credits/history?page_size=1', headers: bearer(userToken) })
    ).json();
    expect(last.items[0]).toMatchObject({ kind: 'grant', amount: 50.5, balance_after: 9854.5 });
    expect(last.items[0].note).toContain('welcome');
    expect((await estimate({ provider: 'stability', model: 'ultra', num_images: 10 })).json()).toMatchObject({
      within_plan: true,
      can_afford: true,
    });
  });

  it.runIf(available)(
    'a restart releases reservations of failed, interrupted and vanished jobs',
    async () => {
      const jobs = new JobRepository(t.ctx.db.kysely);
      const now = () => new Date().toISOString();
      const job = async (status: 'failed' | 'running' | 'succeeded' | 'queued') => {
        const id = randomUUID();
        await jobs.create({ id, user_id: userId, type: 'test.unregistered', input: '{}', now: now() });
        if (status !== 'queued') await jobs.start(id, now());
        if (status === 'failed' || status === 'succeeded') {
          await jobs.finish(id, ['running'], { status }, now());
        }
        return id;
      };
      const start = await credits(userToken);
      const failed = await job('failed');
      const running = await job('running');
      const succeeded = await job('succeeded');
      const vanished = randomUUID();
      const reserve = (jobId: string, amount: number) =>
        t.ctx.billing.reserve({ userId, jobId, credits: amount, idempotencyKey: `job:${jobId}` });
      await reserve(failed, 10);
      await reserve(running, 20);
      await reserve(vanished, 5);
      await reserve(succeeded, 7);
      expect(await credits(userToken)).toBe(start - 42);

      await t.close();
      t = await startTestApp({ reuse: { dataDir: t.dataDir, env: t.env }, registerJobs: registerChargedJob });

      expect((await jobRow(t, running)).status).toBe('failed');
      expect(await credits(userToken)).toBe(start - 7);
      const history = (
        await t.app.inject({ url: '/api/credits/history?page_size=4', headers: bearer(userToken) })
      ).json();
      const byJob = new Map<string, string[]>();
      for (const item of history.items as Array<{ job_id: string; kind: string }>) {
        byJob.set(item.job_id, [...(byJob.get(item.job_id) ?? []), item.kind]);
      }
      expect(byJob.get(failed)).toEqual(['release']);
      expect(byJob.get(running)).toEqual(['release']);
      expect(byJob.get(vanished)).toEqual(['release']);
      expect(byJob.get(succeeded)).toEqual(['capture']);
      expect(await t.ctx.billing.reconcile()).toEqual({ released: 0, captured: 0 });
    },
  );
});

async function jobRow(t: TestApp, id: string) {
  const row = await new JobRepository(t.ctx.db.kysely).get(id);
  if (!row) throw new Error('job missing');
  return row;
}
