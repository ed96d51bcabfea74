import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasRedis } from '../../../../test/support/backends.ts';
import { bearer, setupAdmin, startTestApp, type TestApp } from '../../../../test/support/test-app.ts';

/**
 * `npm run worker` in a separate process: the server only queues (JOB_WORKER_EMBEDDED=false), the
 * worker process takes the job from Redis, runs it against the same database and storage, and the
 * server's waiting request and SSE stream hear about it through Redis.
 */
describe.runIf(hasRedis())('BullMQ worker process', () => {
  let t: TestApp;
  let worker: ChildProcess | undefined;

  beforeAll(async () => {
    t = await startTestApp({ runner: 'bullmq', env: { JOB_WORKER_EMBEDDED: 'false' } });
  });
  afterAll(async () => {
    worker?.kill('SIGTERM');
    await t?.close();
  });

  it('runs jobs queued by the server in a separate worker process', async () => {
    const { token } = await setupAdmin(t.app);
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

    worker = spawn(process.execPath, ['--import', 'tsx', path.resolve('apps/server/src/worker.ts')], {
      env: { ...process.env, ...t.env, WEB_DIST_DIR: path.join(t.dataDir, 'no-web') },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const events = await t.app.inject({ url: `/api/jobs/${job_id}/events`, headers: bearer(token) });
    expect(events.body).toContain('"status":"succeeded"');
    const done = await t.app.inject({ url: `/api/jobs/${job_id}`, headers: bearer(token) });
    expect(done.json()).toMatchObject({ status: 'succeeded', result: { total_generated: 1 } });
    const assetId = done.json().result.results[0].asset_id as number;
    const file = await t.app.inject({ url: `/api/content-assets/${assetId}/file`, headers: bearer(token) });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('image/png');
  });
});
