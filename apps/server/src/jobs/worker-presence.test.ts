import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasRedis } from '../../../../test/support/backends.ts';
import { bearer, setupAdmin, startTestApp, type TestApp } from '../../../../test/support/test-app.ts';

interface JobView {
  id: string;
  status: string;
  waiting_for_worker: boolean;
  notice: string | null;
}

/**
 * An API-only server (ROLE=api) on BullMQ with no worker: a job waits in the queue and every job
 * answer says so; once a worker connects the job runs and the notice goes; when the worker leaves,
 * new jobs say so again.
 */
describe.runIf(hasRedis())('jobs waiting for a worker', () => {
  let t: TestApp;
  let token: string;
  let worker: ChildProcess | undefined;

  const api = <T>(url: string) => t.app.inject({ url, headers: bearer(token) }).then((r) => r.json<T>());
  const job = (id: string) => api<JobView>(`/api/jobs/${id}`);
  const submitLocalCreate = async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/image-studio/create',
      headers: bearer(token),
      payload: { prompt: 'Grand opening', provider: 'local', width: 320, height: 200, async: true },
    });
    expect(res.statusCode, res.body).toBe(202);
    return res.json<{ job_id: string; waiting_for_worker?: boolean; notice?: string | null }>();
  };
  const stopWorker = async () => {
    const child = worker;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  };

  beforeAll(async () => {
    t = await startTestApp({ runner: 'bullmq', env: { ROLE: 'api' } });
    token = (await setupAdmin(t.app)).token;
  });
  afterAll(async () => {
    worker?.kill('SIGKILL');
    await t?.close();
  });

  it('says a queued job waits for a worker until one connects, then runs it', async () => {
    const accepted = await submitLocalCreate();
    expect(accepted.waiting_for_worker).toBe(true);
    expect(accepted.notice).toMatch(/No worker for local-model jobs is running/);

    const queued = await job(accepted.job_id);
    expect(queued).toMatchObject({ status: 'queued', waiting_for_worker: true });
    expect(queued.notice).toMatch(/waits in the queue/);
    const listed = await api<{ jobs: JobView[] }>('/api/jobs?status=active');
    expect(listed.jobs.find((j) => j.id === accepted.job_id)).toMatchObject({ waiting_for_worker: true });

    worker = spawn(process.execPath, ['--import', 'tsx', path.resolve('apps/server/src/worker.ts')], {
      env: { ...process.env, ...t.env, WEB_DIST_DIR: path.join(t.dataDir, 'no-web') },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    await expect.poll(() => t.ctx.jobRunner.unworkedKinds(), { timeout: 60_000 }).not.toContain('local');
    const events = await t.app.inject({ url: `/api/jobs/${accepted.job_id}/events`, headers: bearer(token) });
    expect(events.body).toContain('"status":"succeeded"');
    expect(await job(accepted.job_id)).toMatchObject({
      status: 'succeeded',
      waiting_for_worker: false,
      notice: null,
    });

    await stopWorker();
    await expect.poll(() => t.ctx.jobRunner.unworkedKinds(), { timeout: 60_000 }).toContain('local');
    const again = await submitLocalCreate();
    // The answer may reuse a check from the last few seconds; a fresh one says the job waits.
    await expect
      .poll(async () => (await job(again.job_id)).waiting_for_worker, { timeout: 60_000 })
      .toBe(true);
    expect((await job(again.job_id)).status).toBe('queued');
  });
});
