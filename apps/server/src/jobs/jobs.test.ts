import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasRedis } from '../../../../test/support/backends.ts';
import {
  addUser,
  bearer,
  setupAdmin,
  startTestApp,
  type TestApp,
} from '../../../../test/support/test-app.ts';
import { AppError, unprocessable } from '../errors.ts';
import type { JobRegistry } from './job-registry.ts';

const seenSignals: AbortSignal[] = [];

/** Lets a test hold a `test.commit` job before and after its commit point. */
const commitGates = new Map<string, () => void>();
const committed: string[] = [];
const ended: string[] = [];
const openGate = async (name: string) => {
  await expect.poll(() => commitGates.has(name)).toBe(true);
  commitGates.get(name)?.();
};

function registerTestJobs(registry: JobRegistry) {
  registry.register<{ steps: number; value: string }, { echoed: string }>({
    type: 'test.echo',
    run: async (job) => {
      for (let i = 1; i <= job.input.steps; i++) {
        await new Promise((r) => setTimeout(r, 300));
        await job.progress((i / job.input.steps) * 100, `step ${i}`);
      }
      return { echoed: job.input.value };
    },
  });
  registry.register<{ release: string }, { saved: boolean }>({
    type: 'test.commit',
    run: async (job) => {
      await job.progress(10, 'quick step');
      await job.progress(40, 'long step');
      await new Promise<void>((resolve) => commitGates.set(job.input.release, resolve));
      await job.commit();
      await new Promise<void>((resolve) => commitGates.set(`${job.input.release}:saved`, resolve));
      return { saved: true };
    },
  });
  registry.register({
    type: 'test.refused',
    run: async () => {
      throw unprocessable('content_moderated', 'The provider refused this prompt.');
    },
  });
  registry.register<{ release: string }, { attempt: number }>({
    type: 'test.local-gated',
    local: () => true,
    run: async (job) => {
      const name = `${job.input.release}:${job.attempt}`;
      try {
        await new Promise<void>((resolve) => commitGates.set(name, resolve));
        await job.commit();
        committed.push(name);
        return { attempt: job.attempt };
      } finally {
        ended.push(name);
      }
    },
  });
  registry.register<unknown, { attempt: number }>({
    type: 'test.local',
    local: () => true,
    run: async (job) => ({ attempt: job.attempt }),
  });
  registry.register({
    type: 'test.wait',
    run: async (job) => {
      seenSignals.push(job.signal);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 20_000);
        job.signal.addEventListener('abort', () => {
          clearTimeout(timer);
          resolve();
        });
      });
      return { finished: true };
    },
  });
}

describe.each([
  ['inline', true],
  ['bullmq', hasRedis()],
] as const)('jobs on the %s runner', (runner, available) => {
  let t: TestApp;
  let owner: { token: string; userId: number };
  let other: { token: string; userId: number };

  beforeAll(async () => {
    if (!available) {
      return;
    }
    t = await startTestApp({ runner, registerJobs: registerTestJobs });
    owner = await setupAdmin(t.app);
    other = await addUser(t.app, owner.token, 'other@example.com');
  });
  afterAll(async () => t?.close());

  it.runIf(available)('runs a job to success with progress, and shows it to its owner only', async () => {
    const { job, result } = await t.ctx.jobs.runUntyped(owner.userId, 'test.echo', {
      steps: 2,
      value: 'hi',
    });
    expect(result).toEqual({ echoed: 'hi' });
    const res = await t.app.inject({ url: `/api/jobs/${job.id}`, headers: bearer(owner.token) });
    expect(res.json()).toMatchObject({
      id: job.id,
      type: 'test.echo',
      status: 'succeeded',
      progress: 100,
      error: null,
    });
    const hidden = await t.app.inject({ url: `/api/jobs/${job.id}`, headers: bearer(other.token) });
    expect(hidden.statusCode).toBe(404);
  });

  it.runIf(available)('streams progress as server-sent events until the job ends', async () => {
    const job = await t.ctx.jobs.submit(owner.userId, 'test.echo', { steps: 3, value: 'sse' });
    const res = await t.app.inject({ url: `/api/jobs/${job.id}/events`, headers: bearer(owner.token) });
    expect(res.headers['content-type']).toContain('text/event-stream');
    const events = res.body
      .split('\n\n')
      .filter((chunk) => chunk.startsWith('event: status'))
      .map((chunk) => JSON.parse(chunk.split('data: ')[1] ?? '{}') as { status: string; progress: number });
    expect(events.at(-1)).toMatchObject({ status: 'succeeded', progress: 100 });
    const progress = events.filter((e) => e.status === 'running').map((e) => e.progress);
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    const denied = await t.app.inject({ url: `/api/jobs/${job.id}/events`, headers: bearer(other.token) });
    expect(denied.statusCode).toBe(404);
  });

  it.runIf(available)(
    'a failed job keeps the error code and the waiting caller gets the same error',
    async () => {
      const error = await t.ctx.jobs.runUntyped(owner.userId, 'test.refused', {}).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ status: 422, code: 'content_moderated' });
    },
  );

  it.runIf(available)("lists the caller's jobs newest first, all or only the active ones", async () => {
    const done = await t.ctx.jobs.runUntyped(other.userId, 'test.echo', { steps: 1, value: 'a' });
    const waiting = await t.ctx.jobs.submit(other.userId, 'test.wait', {});
    await expect.poll(async () => (await t.ctx.jobs.get(other.userId, waiting.id)).status).toBe('running');
    const list = async (query: string, token = other.token) => {
      const res = await t.app.inject({ url: `/api/jobs${query}`, headers: bearer(token) });
      expect(res.statusCode).toBe(200);
      return res.json<{ jobs: Array<{ id: string; status: string }> }>().jobs;
    };
    expect((await list('')).map((j) => j.id)).toEqual([waiting.id, done.job.id]);
    expect(await list('?status=active')).toEqual([
      expect.objectContaining({ id: waiting.id, status: 'running' }),
    ]);
    expect((await list('?status=succeeded&limit=5')).map((j) => j.id)).toEqual([done.job.id]);
    expect((await list('?limit=1')).map((j) => j.id)).toEqual([waiting.id]);
    const ownerIds = (await list('?limit=100', owner.token)).map((j) => j.id);
    expect(ownerIds).not.toContain(waiting.id);
    const bad = await t.app.inject({ url: '/api/jobs?status=lost', headers: bearer(other.token) });
    expect(bad.statusCode).toBe(400);
    await t.app.inject({
      method: 'POST',
      url: `/api/jobs/${waiting.id}/cancel`,
      headers: bearer(other.token),
    });
  });

  it.runIf(available)('cancel stops a running job and it stays canceled', async () => {
    const job = await t.ctx.jobs.submit(owner.userId, 'test.wait', {});
    await expect.poll(async () => (await t.ctx.jobs.get(owner.userId, job.id)).status).toBe('running');
    const notYours = await t.app.inject({
      method: 'POST',
      url: `/api/jobs/${job.id}/cancel`,
      headers: bearer(other.token),
    });
    expect(notYours.statusCode).toBe(404);
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/jobs/${job.id}/cancel`,
      headers: bearer(owner.token),
    });
    expect(res.json()).toMatchObject({ status: 'canceled', error: { code: 'canceled' } });
    await expect.poll(() => seenSignals.at(-1)?.aborted).toBe(true);
    await new Promise((r) => setTimeout(r, 200));
    expect((await t.ctx.jobs.get(owner.userId, job.id)).status).toBe('canceled');
  });

  it.runIf(available)(
    'stores the latest progress of a long step; past its commit point a job cannot be canceled',
    async () => {
      // Gate names are per runner: the module's gates outlive the other runner's suite, and a stale
      // gate would release (or seem to hold) a job of this one.
      const kept = await t.ctx.jobs.submit(owner.userId, 'test.commit', { release: `${runner}:kept` });
      // 40% was reported right after 10%: it reaches the database within the write interval anyway.
      await expect.poll(async () => (await t.ctx.jobs.get(owner.userId, kept.id)).progress).toBe(40);
      await openGate(`${runner}:kept`);
      await expect
        .poll(
          async () =>
            (
              await t.ctx.db.kysely
                .selectFrom('jobs')
                .select('committed_at')
                .where('id', '=', kept.id)
                .executeTakeFirstOrThrow()
            ).committed_at,
        )
        .not.toBeNull();
      const refused = await t.app.inject({
        method: 'POST',
        url: `/api/jobs/${kept.id}/cancel`,
        headers: bearer(owner.token),
      });
      expect(refused.statusCode).toBe(409);
      expect(refused.json().error.code).toBe('job_finishing');
      await openGate(`${runner}:kept:saved`);
      await expect.poll(async () => (await t.ctx.jobs.get(owner.userId, kept.id)).status).toBe('succeeded');

      // Canceled before its commit point: the commit throws and the job never saves.
      const dropped = await t.ctx.jobs.submit(owner.userId, 'test.commit', { release: `${runner}:dropped` });
      await expect.poll(() => commitGates.has(`${runner}:dropped`)).toBe(true);
      const canceled = await t.app.inject({
        method: 'POST',
        url: `/api/jobs/${dropped.id}/cancel`,
        headers: bearer(owner.token),
      });
      expect(canceled.json()).toMatchObject({ status: 'canceled' });
      commitGates.get(`${runner}:dropped`)?.();
      await new Promise((r) => setTimeout(r, 200));
      expect(commitGates.has(`${runner}:dropped:saved`)).toBe(false);
      expect((await t.ctx.jobs.get(owner.userId, dropped.id)).status).toBe('canceled');
    },
  );

  it.runIf(available)(
    'a job left running by a dead process is failed as interrupted on restart',
    async () => {
      const now = new Date().toISOString();
      await t.ctx.db.kysely
        .insertInto('jobs')
        .values({
          id: '11111111-1111-4111-8111-111111111111',
          user_id: owner.userId,
          type: 'test.echo',
          status: 'running',
          progress: 40,
          input: '{}',
          attempts: 1,
          created_at: now,
          started_at: now,
          updated_at: now,
        })
        .execute();
      const recovered = await t.ctx.jobs.recover();
      expect(recovered.failed).toBeGreaterThanOrEqual(1);
      const job = await t.ctx.jobs.get(owner.userId, '11111111-1111-4111-8111-111111111111');
      expect(job).toMatchObject({ status: 'failed', error: { code: 'interrupted' } });
    },
  );

  it.runIf(available && runner === 'inline')(
    'a run taken for dead that goes on anyway neither saves nor records over the attempt that took the job over',
    async () => {
      const job = await t.ctx.jobs.submit(owner.userId, 'test.local-gated', { release: 'taken' });
      await expect.poll(() => commitGates.has('taken:1')).toBe(true);
      // As a surviving worker would after a stall: the row is running, local, first attempt.
      await t.ctx.jobs.recover();
      await expect.poll(() => commitGates.has('taken:2')).toBe(true);
      await openGate('taken:1');
      await expect.poll(() => ended.includes('taken:1')).toBe(true);
      expect((await t.ctx.jobs.get(owner.userId, job.id)).status).toBe('running');
      await openGate('taken:2');
      const done = await t.ctx.jobs.waitFor(job.id);
      expect(done).toMatchObject({ status: 'succeeded', attempts: 2 });
      expect(JSON.parse(done.result ?? 'null')).toEqual({ attempt: 2 });
      expect(committed.filter((name) => name.startsWith('taken:'))).toEqual(['taken:2']);
    },
  );

  it.runIf(available)(
    'a local job left running runs once more on restart, unless it was saving results or had already run twice',
    async () => {
      const now = new Date().toISOString();
      const row = (id: string, attempts: number, committed: boolean) => ({
        id,
        user_id: owner.userId,
        type: 'test.local',
        status: 'running' as const,
        progress: 40,
        input: '{}',
        attempts,
        created_at: now,
        started_at: now,
        updated_at: now,
        committed_at: committed ? now : null,
      });
      const again = '22222222-2222-4222-8222-222222222221';
      const saving = '22222222-2222-4222-8222-222222222222';
      const twice = '22222222-2222-4222-8222-222222222223';
      await t.ctx.db.kysely
        .insertInto('jobs')
        .values([row(again, 1, false), row(saving, 1, true), row(twice, 2, false)])
        .execute();
      await t.ctx.jobs.recover();
      expect(await t.ctx.jobs.waitFor(again)).toMatchObject({ status: 'succeeded', attempts: 2 });
      expect(JSON.parse((await t.ctx.jobs.waitFor(again)).result ?? 'null')).toEqual({ attempt: 2 });
      for (const id of [saving, twice]) {
        const job = await t.ctx.jobs.get(owner.userId, id);
        expect(job).toMatchObject({ status: 'failed', error: { code: 'interrupted' } });
      }
    },
  );
});

describe('crash recovery across a real SIGKILL', () => {
  it('leaves no job running after the process is killed mid-job and started again', async () => {
    const first = await startTestApp({ registerJobs: registerTestJobs });
    const admin = await setupAdmin(first.app);
    await first.close();

    const child = spawn(process.execPath, ['--import', 'tsx', path.resolve('test/support/crash-child.ts')], {
      env: { ...process.env, ...first.env, CRASH_USER_ID: String(admin.userId) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const jobId = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('\n')) {
          resolve(out.trim());
        }
      });
      child.on('exit', (code) => reject(new Error(`child exited early with ${code}`)));
    });
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));

    const restarted = await startTestApp({ reuse: { dataDir: first.dataDir, env: first.env } });
    const job = await restarted.ctx.jobs.get(admin.userId, jobId);
    expect(job).toMatchObject({ status: 'failed', error: { code: 'interrupted' } });
    const running = await restarted.ctx.db.kysely
      .selectFrom('jobs')
      .select('id')
      .where('status', '=', 'running')
      .execute();
    expect(running).toEqual([]);
    await restarted.close();
  });
});
