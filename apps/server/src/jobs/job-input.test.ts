import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasPostgres } from '../../../../test/support/backends.ts';
import { bearer, setupAdmin, startTestApp, type TestApp } from '../../../../test/support/test-app.ts';
import { JobRepository } from './job.repository.ts';

/**
 * A job row whose stored input no longer matches its type's schema (written by an older version,
 * or damaged) is failed with `invalid_job_input` before its handler runs: no asset, no charge, and
 * credits it held are given back. The rows are real rows in the database, run by the real executor.
 */
describe.each([
  ['sqlite', true],
  ['postgres', hasPostgres()],
] as const)('stored job input on %s', (dialect, available) => {
  let t: TestApp;
  let admin: { token: string; userId: number };
  let jobs: JobRepository;

  beforeAll(async () => {
    if (!available) return;
    t = await startTestApp({ dialect });
    admin = await setupAdmin(t.app);
    jobs = new JobRepository(t.ctx.db.kysely);
  });
  afterAll(async () => t?.close());

  const balance = async () => (await t.ctx.billing.summary(admin.userId)).balance;
  const assetCount = async () =>
    (
      await t.ctx.db.kysely
        .selectFrom('assets')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('user_id', '=', admin.userId)
        .executeTakeFirstOrThrow()
    ).n;

  /** Writes a queued row as an older version might have, hands it to the runner and waits for it. */
  async function runStored(type: string, input: string, reserve?: number) {
    const id = randomUUID();
    await jobs.create({ id, user_id: admin.userId, type, input, now: new Date().toISOString() });
    if (reserve) {
      await t.ctx.billing.reserve({ userId: admin.userId, jobId: id, credits: reserve, idempotencyKey: id });
    }
    await t.ctx.jobRunner.enqueue(id, type, 'cloud');
    await t.ctx.jobs.waitFor(id);
    return (await t.app.inject({ url: `/api/jobs/${id}`, headers: bearer(admin.token) })).json();
  }

  it.runIf(available)('an edit row with an unknown operation and a string asset id fails unrun', async () => {
    const before = { credits: await balance(), assets: Number(await assetCount()) };
    const job = await runStored(
      'edit',
      JSON.stringify({ operation: 'paint_over', route: 'local', inputAssetId: 'seven', outputFormat: 'png' }),
    );
    expect(job).toMatchObject({ type: 'edit', status: 'failed', result: null });
    expect(job.error.code).toBe('invalid_job_input');
    expect(job.error.message).toMatch(/^This edit job's input is not valid: /);
    expect(job.error.message).toContain('operation');
    expect(job.error.message).toContain('inputAssetId');
    expect(await balance()).toBe(before.credits);
    expect(Number(await assetCount())).toBe(before.assets);
  });

  it.runIf(available)('credits held for a malformed create row are given back', async () => {
    const before = await balance();
    const job = await runStored('create', JSON.stringify({ prompt: 42, num_variations: 'many' }), 5);
    expect(job).toMatchObject({ status: 'failed', error: { code: 'invalid_job_input' } });
    // Released right after the row is failed (the executor settles once the failure is recorded).
    await expect.poll(balance, { timeout: 30_000 }).toBe(before);
  });

  it.runIf(available)(
    'input that is not JSON at all fails the same way, and the server goes on',
    async () => {
      const job = await runStored('upscale', '{"inputAssetId": 1,');
      expect(job).toMatchObject({ status: 'failed', error: { code: 'invalid_job_input' } });
      const health = await t.app.inject({ url: '/api/image-studio/health' });
      expect(health.statusCode).toBe(200);
    },
  );
});
