import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StabilityFake } from '../../../../test/fakes/stability.ts';
import { hasRedis } from '../../../../test/support/backends.ts';
import { blobIntegrity } from '../../../../test/support/blob-integrity.ts';
import { makePng } from '../../../../test/support/images.ts';
import { freePort } from '../../../../test/support/server-process.ts';
import { bearer, setupAdmin, startTestApp, type TestApp } from '../../../../test/support/test-app.ts';

/**
 * Worker processes beside an API-only server (ROLE=api): the workers take jobs from Redis, run them
 * against the same database and storage, and the server's waiting requests and SSE streams hear about
 * them through Redis. Workers are SIGKILLed holding jobs: local ones run again on a surviving worker,
 * once; a cloud one that reached the provider is failed `interrupted` and its credits released.
 */
interface JobView {
  status: string;
  progress: number;
  error: { code: string } | null;
  result: { asset_id?: number; results?: Array<{ asset_id: number }> } | null;
}

describe.runIf(hasRedis())('BullMQ worker processes', () => {
  const stability = new StabilityFake();
  const alive = new Set<ChildProcess>();
  let t: TestApp;
  let token: string;
  let small: string;
  let large: string;

  /** A worker process: `npm run worker` (worker.ts), or the server itself started with ROLE=worker. */
  const startWorker = (env: Record<string, string> = {}, entry: 'worker.ts' | 'main.ts' = 'worker.ts') => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.resolve('apps/server/src', entry)], {
      env: { ...process.env, ...t.env, WEB_DIST_DIR: path.join(t.dataDir, 'no-web'), ...env },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    alive.add(child);
    child.once('exit', () => alive.delete(child));
    return child;
  };
  const kill = async (child: ChildProcess, signal: NodeJS.Signals) => {
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill(signal);
    return exited;
  };

  const api = <T>(url: string) => t.app.inject({ url, headers: bearer(token) }).then((r) => r.json<T>());
  const job = (id: string) => api<JobView>(`/api/jobs/${id}`);
  const credits = () => api<{ balance: number; reserved: number }>('/api/credits');
  const submit = async (url: string, payload: Record<string, unknown>) => {
    const res = await t.app.inject({
      method: 'POST',
      url,
      headers: bearer(token),
      payload: { ...payload, async: true },
    });
    expect(res.statusCode, res.body).toBe(202);
    return res.json<{ job_id: string }>().job_id;
  };
  /** A local upscale: ESRGAN (tens of seconds on these machines) or Lanczos (`fast`, a moment). */
  const localUpscale = (mode: 'conservative' | 'fast') =>
    submit('/api/image-studio/upscale', {
      image_base64: mode === 'conservative' ? large : small,
      mode,
      provider: 'local',
      // Conservative: 4× of 400² spans four 256² model tiles, so progress moves while it runs.
      target_width: mode === 'conservative' ? 1600 : 1024,
      target_height: mode === 'conservative' ? 1600 : 1024,
    });
  const until = async (what: string, check: () => Promise<boolean>) => {
    const deadline = Date.now() + 120_000;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`gave up waiting: ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const ended = async (id: string): Promise<JobView> => {
    await t.app.inject({ url: `/api/jobs/${id}/events`, headers: bearer(token) });
    const view = await job(id);
    return ['succeeded', 'failed', 'canceled'].includes(view.status) ? view : ended(id);
  };
  const attempts = async (id: string) =>
    (
      await t.ctx.db.kysely
        .selectFrom('jobs')
        .select('attempts')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    ).attempts;
  const noneRunningAndNoBlobMissing = async () => {
    const running = await t.ctx.db.kysely
      .selectFrom('jobs')
      .select('id')
      .where('status', 'in', ['running', 'queued'])
      .execute();
    expect(running).toEqual([]);
    expect((await blobIntegrity(t.ctx.db.kysely, t.ctx.blobs)).missing).toEqual([]);
  };

  beforeAll(async () => {
    await stability.start();
    t = await startTestApp({
      runner: 'bullmq',
      env: { ROLE: 'api', STABILITY_API_KEY: 'sk-test', STABILITY_BASE_URL: stability.baseUrl },
    });
    const admin = await setupAdmin(t.app);
    token = admin.token;
    const grant = await t.app.inject({
      method: 'POST',
      url: `/api/admin/users/${admin.userId}/credits`,
      headers: bearer(token),
      payload: { amount: 1000, reason: 'tests' },
    });
    expect(grant.statusCode).toBeLessThan(300);
    small = (await makePng(128, 128, 5)).toString('base64');
    large = (await makePng(400, 400, 6)).toString('base64');
  });
  afterAll(async () => {
    await Promise.all([...alive].map((child) => kill(child, 'SIGKILL')));
    await t?.close();
    await stability.stop();
  });

  it('runs jobs queued by an API-only server in a ROLE=worker process, which serves no HTTP', async () => {
    const jobId = await submit('/api/image-studio/create', {
      prompt: 'Grand opening',
      provider: 'local',
      width: 320,
      height: 200,
    });
    await new Promise((r) => setTimeout(r, 500));
    expect((await job(jobId)).status).toBe('queued');

    const port = await freePort();
    const worker = startWorker({ ROLE: 'worker', PORT: String(port), HOST: '127.0.0.1' }, 'main.ts');
    const events = await t.app.inject({ url: `/api/jobs/${jobId}/events`, headers: bearer(token) });
    expect(events.body).toContain('"status":"succeeded"');
    const done = await job(jobId);
    expect(done).toMatchObject({ status: 'succeeded' });
    const assetId = done.result?.results?.[0]?.asset_id;
    const file = await t.app.inject({ url: `/api/content-assets/${assetId}/file`, headers: bearer(token) });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('image/png');
    await expect(fetch(`http://127.0.0.1:${port}/api/image-studio/health`)).rejects.toThrow();
    expect(await kill(worker, 'SIGTERM')).toBe(0);
  });

  it('a worker SIGKILLed holding a running local job and one waiting its turn: both, and the queued one, run exactly once more on a surviving worker', async () => {
    // Takes two local jobs but runs one model at a time: the second waits inside the worker.
    const victim = startWorker(
      { LOCAL_JOB_CONCURRENCY: '2', LOCAL_MODEL_CONCURRENCY: '1', CLOUD_JOB_CONCURRENCY: '0' },
      'worker.ts',
    );
    const running = await localUpscale('conservative');
    await until('the first job inside super-resolution', async () => (await job(running)).progress >= 15);
    const waiting = await localUpscale('fast');
    await until('the victim holding the second job', async () => (await job(waiting)).status === 'running');
    const queued = await localUpscale('fast');
    expect((await job(running)).status).toBe('running');
    await kill(victim, 'SIGKILL');

    // A local-only worker: proves the kinds are separate and that a cloud worker is not needed here.
    startWorker({ CLOUD_JOB_CONCURRENCY: '0' });
    for (const id of [running, waiting, queued]) {
      expect(await ended(id)).toMatchObject({ status: 'succeeded', error: null });
    }
    expect(await attempts(running)).toBe(2);
    expect(await attempts(waiting)).toBe(2);
    expect(await attempts(queued)).toBe(1);
    const outputs = await t.ctx.db.kysely
      .selectFrom('assets')
      .select('id')
      .where('source_module', '=', 'upscale')
      .where('operation', 'in', ['upscale.conservative', 'upscale.fast'])
      .execute();
    expect(outputs).toHaveLength(3);
    await noneRunningAndNoBlobMissing();
  }, 300_000);

  it('a worker SIGKILLed while its cloud job waits on the provider: failed interrupted, credits released, the provider called once', async () => {
    stability.reset();
    const before = await credits();
    const held = stability.holdNext(/generate/);
    const victim = startWorker({ LOCAL_JOB_CONCURRENCY: '0' });
    const jobId = await submit('/api/image-studio/create', {
      prompt: 'a lighthouse at dawn',
      provider: 'stability',
      model: 'core',
      width: 512,
      height: 512,
    });
    await held.reached;
    expect((await credits()).reserved).toBeGreaterThan(0);
    await kill(victim, 'SIGKILL');
    held.release();

    startWorker();
    expect(await ended(jobId)).toMatchObject({ status: 'failed', error: { code: 'interrupted' } });
    expect(stability.requests.filter((r) => r.path.includes('/generate/'))).toHaveLength(1);
    const after = await credits();
    expect({ balance: after.balance, reserved: after.reserved }).toEqual({
      balance: before.balance,
      reserved: 0,
    });
    await noneRunningAndNoBlobMissing();
  }, 180_000);

  it('SIGTERM: a worker finishes the job it is running, then exits 0', async () => {
    for (const child of alive) await kill(child, 'SIGTERM');
    const worker = startWorker();
    const jobId = await localUpscale('conservative');
    await until('the job inside super-resolution', async () => (await job(jobId)).progress >= 15);
    expect(await kill(worker, 'SIGTERM')).toBe(0);
    expect(await job(jobId)).toMatchObject({ status: 'succeeded' });
    expect(await attempts(jobId)).toBe(1);
  }, 180_000);
});
