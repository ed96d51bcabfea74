import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasRedis } from '../../../../test/support/backends.ts';
import { blobIntegrity } from '../../../../test/support/blob-integrity.ts';
import { bearer, setupAdmin, startTestApp, type TestApp } from '../../../../test/support/test-app.ts';

/**
 * `npm run worker` in a separate process: the server only queues (JOB_WORKER_EMBEDDED=false), the
 * worker process takes the job from Redis, runs it against the same database and storage, and the
 * server's waiting request and SSE stream hear about it through Redis.
 */
describe.runIf(hasRedis())('BullMQ worker process', () => {
  let t: TestApp;
  let worker: ChildProcess | undefined;
  let token: string;

  const startWorker = () =>
    spawn(process.execPath, ['--import', 'tsx', path.resolve('apps/server/src/worker.ts')], {
      env: { ...process.env, ...t.env, WEB_DIST_DIR: path.join(t.dataDir, 'no-web') },
      stdio: ['ignore', 'ignore', 'inherit'],
    });

  beforeAll(async () => {
    t = await startTestApp({ runner: 'bullmq', env: { JOB_WORKER_EMBEDDED: 'false' } });
  });
  afterAll(async () => {
    worker?.kill('SIGTERM');
    await t?.close();
  });

  it('runs jobs queued by the server in a separate worker process', async () => {
    ({ token } = await setupAdmin(t.app));
    const queued = await t.app.inject({
      method: 'POST',
      url: '/api/image-studio/create',
      headers: bearer(token),
      payload: { prompt: 'Grand opening', provider: 'local', width: 320, height: 200, async: true },
    });
    expect(queued.statusCode).toBe(202);
    const { job_id } = queued.json<{ job_id: string }>();
    await new Promise((r) => setTimeout(r, 500));
    const waiting = await t.app.inject({ url: `/api/jobs/${job_id}`, headers: bearer(token) });
    expect(waiting.json().status).toBe('queued');

    worker = startWorker();
    const events = await t.app.inject({ url: `/api/jobs/${job_id}/events`, headers: bearer(token) });
    expect(events.body).toContain('"status":"succeeded"');
    const done = await t.app.inject({ url: `/api/jobs/${job_id}`, headers: bearer(token) });
    expect(done.json()).toMatchObject({ status: 'succeeded', result: { total_generated: 1 } });
    const assetId = done.json().result.results[0].asset_id as number;
    const file = await t.app.inject({ url: `/api/content-assets/${assetId}/file`, headers: bearer(token) });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('image/png');
  });

  it('a worker SIGKILLed mid-job: another worker fails the job as interrupted, releases its credits, leaves no broken row', async () => {
    const credits = async () =>
      (await t.app.inject({ url: '/api/credits', headers: bearer(token) })).json<{
        balance: number;
        reserved: number;
      }>();
    const before = await credits();
    const queued = await t.app.inject({
      method: 'POST',
      url: '/api/image-studio/create',
      headers: bearer(token),
      payload: {
        prompt: 'A long job',
        provider: 'local',
        num_variations: 10,
        width: 2560,
        height: 1440,
        async: true,
      },
    });
    expect(queued.statusCode).toBe(202);
    const { job_id } = queued.json<{ job_id: string }>();
    const deadline = Date.now() + 60_000;
    let job = { status: 'queued', progress: 0 };
    while (!(job.status === 'running' && job.progress >= 10) && Date.now() < deadline) {
      job = (await t.app.inject({ url: `/api/jobs/${job_id}`, headers: bearer(token) })).json<typeof job>();
      if (job.status !== 'queued' && job.status !== 'running') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(job.status).toBe('running');
    const killed = worker;
    killed?.kill('SIGKILL');
    await new Promise((r) => killed?.once('exit', r));

    // BullMQ notices the dead worker's lock expire and, never re-running a stalled job, fails it.
    worker = startWorker();
    const events = await t.app.inject({ url: `/api/jobs/${job_id}/events`, headers: bearer(token) });
    expect(events.body).toContain('"status":"failed"');
    const after = (await t.app.inject({ url: `/api/jobs/${job_id}`, headers: bearer(token) })).json<{
      status: string;
      error: { code: string } | null;
    }>();
    expect(after).toMatchObject({ status: 'failed', error: { code: 'interrupted' } });
    expect(await credits()).toEqual({ ...before, reserved: 0 });
    const running = await t.ctx.db.kysely
      .selectFrom('jobs')
      .select('id')
      .where('status', '=', 'running')
      .execute();
    expect(running).toEqual([]);
    expect((await blobIntegrity(t.ctx.db.kysely, t.ctx.blobs)).missing).toEqual([]);
  }, 150_000);
});
