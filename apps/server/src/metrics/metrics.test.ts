import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StabilityFake } from '../../../../test/fakes/stability.ts';
import { type Dialect, hasPostgres } from '../../../../test/support/backends.ts';
import { sample } from '../../../../test/support/prometheus.ts';
import { freePort } from '../../../../test/support/server-process.ts';
import {
  addUser,
  bearer,
  setupAdmin,
  startTestApp,
  type TestApp,
} from '../../../../test/support/test-app.ts';
import { serveWorkerMetrics } from './worker-metrics-server.ts';

const METRICS_TOKEN = 'scrape-token-scrape-token-scrape-token';

const dialects: Array<[Dialect, boolean]> = [
  ['sqlite', true],
  ['postgres', hasPostgres()],
];

describe.each(dialects)('GET /metrics (%s)', (dialect, available) => {
  const stability = new StabilityFake();
  let t: TestApp;
  let admin: string;
  let user: string;

  const scrape = async (headers: Record<string, string> = bearer(admin)) => {
    const res = await t.app.inject({ url: '/metrics', headers });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    return res.body;
  };
  const create = (provider: 'local' | 'stability') =>
    t.app.inject({
      method: 'POST',
      url: '/api/image-studio/create',
      headers: bearer(admin),
      payload: {
        prompt: 'Grand opening',
        provider,
        ...(provider === 'stability'
          ? { model: 'core', width: 512, height: 512 }
          : { width: 320, height: 200 }),
      },
    });

  beforeAll(async () => {
    if (!available) return;
    await stability.start();
    t = await startTestApp({
      dialect,
      env: { METRICS_TOKEN, STABILITY_API_KEY: 'sk-test', STABILITY_BASE_URL: stability.baseUrl },
    });
    const a = await setupAdmin(t.app);
    admin = a.token;
    user = (await addUser(t.app, admin, 'user@example.com')).token;
    const grant = await t.app.inject({
      method: 'POST',
      url: `/api/admin/users/${a.userId}/credits`,
      headers: bearer(admin),
      payload: { amount: 1000, reason: 'tests' },
    });
    expect(grant.statusCode).toBeLessThan(300);
  });
  afterAll(async () => {
    await t?.close();
    await stability.stop();
  });

  it.runIf(available)(
    'anonymous 401, a plain user 403, a wrong bearer 401; admin and METRICS_TOKEN 200',
    async () => {
      const anonymous = await t.app.inject({ url: '/metrics' });
      expect(anonymous.statusCode).toBe(401);
      expect(anonymous.json()).toMatchObject({ error: { code: 'unauthorized' } });
      const plain = await t.app.inject({ url: '/metrics', headers: bearer(user) });
      expect(plain.statusCode).toBe(403);
      expect(plain.json()).toMatchObject({ error: { code: 'forbidden' } });
      const wrong = await t.app.inject({ url: '/metrics', headers: bearer(`${METRICS_TOKEN}x`) });
      expect(wrong.statusCode).toBe(401);
      // The metrics token opens /metrics only, never an API route.
      const elsewhere = await t.app.inject({ url: '/api/jobs', headers: bearer(METRICS_TOKEN) });
      expect(elsewhere.statusCode).toBe(401);
      const scraped = await scrape(bearer(METRICS_TOKEN));
      for (const name of [
        'studio_http_request_duration_seconds',
        'studio_jobs',
        'studio_job_duration_seconds',
        'studio_provider_errors_total',
        'studio_provider_breaker_state',
        'studio_credits_reserved',
      ]) {
        expect(scraped).toContain(`# TYPE ${name} `);
      }
      expect(await scrape()).toContain('studio_process_cpu_seconds_total');
    },
  );

  it.runIf(available)('request latency is counted by route pattern, never by raw URL', async () => {
    const before = sample(await scrape(), 'studio_http_request_duration_seconds_count', {
      method: 'GET',
      route: '/api/jobs/:id',
      status_code: '404',
    });
    for (const id of ['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002']) {
      expect((await t.app.inject({ url: `/api/jobs/${id}`, headers: bearer(admin) })).statusCode).toBe(404);
    }
    const text = await scrape();
    const after = sample(text, 'studio_http_request_duration_seconds_count', {
      method: 'GET',
      route: '/api/jobs/:id',
      status_code: '404',
    });
    expect(after).toBe((before ?? 0) + 2);
    expect(text).not.toContain('00000000-0000-4000-8000-000000000001');
  });

  it.runIf(available)(
    'jobs by type and status, job durations, credits reserved while a paid call is held, provider errors and breaker',
    async () => {
      expect((await create('local')).statusCode).toBe(200);
      let text = await scrape();
      expect(sample(text, 'studio_jobs', { type: 'create', status: 'succeeded' })).toBe(1);
      expect(sample(text, 'studio_job_duration_seconds_count', { type: 'create', status: 'succeeded' })).toBe(
        1,
      );
      expect(sample(text, 'studio_credits_reserved')).toBe(0);
      expect(sample(text, 'studio_provider_breaker_state', { provider: 'stability', state: 'closed' })).toBe(
        1,
      );

      const held = stability.holdNext(/generate/);
      const running = create('stability');
      await held.reached;
      text = await scrape();
      expect(sample(text, 'studio_jobs', { type: 'create', status: 'running' })).toBe(1);
      expect(sample(text, 'studio_credits_reserved')).toBeGreaterThan(0);
      held.release();
      expect((await running).statusCode).toBe(200);
      text = await scrape();
      expect(sample(text, 'studio_jobs', { type: 'create', status: 'running' })).toBe(0);
      expect(sample(text, 'studio_jobs', { type: 'create', status: 'succeeded' })).toBe(2);
      expect(sample(text, 'studio_credits_reserved')).toBe(0);

      stability.failNext({ status: 400, match: /generate/ });
      const failed = await create('stability');
      expect(failed.statusCode).toBeGreaterThanOrEqual(400);
      const code = failed.json<{ error: { code: string } }>().error.code;
      text = await scrape();
      expect(sample(text, 'studio_provider_errors_total', { provider: 'stability', code })).toBe(1);
      expect(sample(text, 'studio_jobs', { type: 'create', status: 'failed' })).toBe(1);
      expect(sample(text, 'studio_job_duration_seconds_count', { type: 'create', status: 'failed' })).toBe(1);
    },
  );
});

describe('a worker’s METRICS_PORT', () => {
  it('answers GET /metrics to the METRICS_TOKEN bearer only', async () => {
    const t = await startTestApp({ env: { METRICS_TOKEN } });
    const port = await freePort();
    const server = await serveWorkerMetrics(t.ctx.metrics, { port, host: '127.0.0.1', token: METRICS_TOKEN });
    try {
      const url = `http://127.0.0.1:${port}/metrics`;
      expect((await fetch(url)).status).toBe(401);
      expect((await fetch(url, { headers: bearer('nope') })).status).toBe(401);
      expect((await fetch(`http://127.0.0.1:${port}/other`, { headers: bearer(METRICS_TOKEN) })).status).toBe(
        404,
      );
      const ok = await fetch(url, { headers: bearer(METRICS_TOKEN) });
      expect(ok.status).toBe(200);
      expect(await ok.text()).toContain('# TYPE studio_job_duration_seconds histogram');
    } finally {
      await new Promise((r) => server.close(r));
      await t.close();
    }
  });
});
