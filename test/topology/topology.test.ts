import { CreditHistory, CreditsSummary, JobEvent, SocialOptimizeResponse, User } from '@studio/contracts';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadConfig } from '../../apps/server/src/config.ts';
import { type Db, openDatabase } from '../../apps/server/src/db/database.ts';
import { QUEUE_NAMES } from '../../apps/server/src/jobs/bullmq-runner.ts';
import { createBlobStore } from '../../apps/server/src/storage/index.ts';
import { StabilityFake } from '../fakes/stability.ts';
import {
  createPgDatabase,
  createS3Bucket,
  hasPostgres,
  hasRedis,
  hasS3,
  services,
} from '../support/backends.ts';
import { blobIntegrity } from '../support/blob-integrity.ts';
import { makePng } from '../support/images.ts';
import { sample } from '../support/prometheus.ts';
import { freePort, type RunningServer, signInAdmin, startServer } from '../support/server-process.ts';
import { startWorker, until, type WorkerProcess } from './processes.ts';

/**
 * The scaled-out deployment as real processes: two API processes (JOB_WORKER_EMBEDDED=false) and two
 * workers, each with its own empty data folder, sharing only PostgreSQL, Redis and S3 (s3rver), with
 * the Stability fake as the paid provider. Work is submitted through API A and read back through API
 * B; a worker is SIGKILLed holding a local job and a paid call, and a fresh one started.
 */
/** What these checks read of a job (the contract's Job types each type's result). */
const JobView = z.object({
  id: z.string(),
  status: z.string(),
  progress: z.number(),
  error: z.object({ code: z.string() }).nullable(),
  result: z
    .object({
      asset_id: z.number().optional(),
      results: z.array(z.object({ asset_id: z.number() })).optional(),
    })
    .nullable(),
});
const JobViews = z.object({ jobs: z.array(JobView) });
const Accepted = z.object({ job_id: z.string() });
const TERMINAL = ['succeeded', 'failed', 'canceled'];
const METRICS_TOKEN = 'topology-metrics-token-topology-metrics';

describe.runIf(hasPostgres() && hasRedis() && hasS3())(
  'topology: 2 API processes, 2 workers, PostgreSQL, Redis, S3',
  () => {
    const stability = new StabilityFake();
    const workers: WorkerProcess[] = [];
    let env: Record<string, string>;
    let apiA: RunningServer;
    let apiB: RunningServer;
    let auth: Record<string, string>;
    let db: Db;
    let redis: Redis;
    let localQueue: Queue;
    let small: string;
    let mask: string;
    const jobs = new Map<string, 'local-upscale' | 'local-erase' | 'cloud'>();

    /** A call with the admin's token; the answer parsed with its contract. */
    const call = async <T>(
      server: RunningServer,
      url: string,
      schema: z.ZodType<T>,
      init: RequestInit = {},
    ) => {
      const res = await fetch(`${server.baseUrl}${url}`, {
        ...init,
        headers: { ...(init.body ? { 'content-type': 'application/json' } : {}), ...auth },
      });
      const body = await res.text();
      if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${url} → ${res.status} ${body}`);
      return schema.parse(JSON.parse(body));
    };
    const submit = async (
      url: string,
      payload: Record<string, unknown>,
      kind: 'local-upscale' | 'local-erase' | 'cloud',
    ) => {
      const { job_id } = await call(apiA, url, Accepted, {
        method: 'POST',
        body: JSON.stringify({ ...payload, async: true }),
      });
      jobs.set(job_id, kind);
      return job_id;
    };
    const upscale = (image: string, mode: 'conservative' | 'fast', side: number) =>
      submit(
        '/api/image-studio/upscale',
        { image_base64: image, mode, provider: 'local', target_width: side, target_height: side },
        'local-upscale',
      );
    const erase = () =>
      submit(
        '/api/image-studio/edit',
        { image_base64: small, mask_base64: mask, operation: 'erase', provider: 'local' },
        'local-erase',
      );
    const cloudCreate = () =>
      submit(
        '/api/image-studio/create',
        { prompt: 'a lighthouse at dawn', provider: 'stability', model: 'core', width: 512, height: 512 },
        'cloud',
      );
    const jobOnB = (id: string) => call(apiB, `/api/jobs/${id}`, JobView);
    /** The job's events as API B streams them (it ends with the job). */
    const eventsOnB = async (id: string) => {
      const res = await fetch(`${apiB.baseUrl}/api/jobs/${id}/events`, { headers: auth });
      const text = await res.text();
      return text
        .split('\n')
        .filter((l) => l.startsWith('data: '))
        .map((l) => JobEvent.parse(JSON.parse(l.slice(6))));
    };
    const rows = () => db.kysely.selectFrom('jobs').select(['id', 'type', 'status', 'attempts']).execute();
    const newWorker = async (concurrency: { local: number; cloud: number }) => {
      const w = startWorker(
        {
          ...env,
          LOCAL_JOB_CONCURRENCY: String(concurrency.local),
          CLOUD_JOB_CONCURRENCY: String(concurrency.cloud),
        },
        await freePort(),
      );
      workers.push(w);
      return w;
    };

    beforeAll(async () => {
      await stability.start();
      const { endpoint, bucket } = await createS3Bucket();
      env = {
        DATABASE_URL: await createPgDatabase(),
        REDIS_URL: services().redisUrl ?? '',
        REDIS_PREFIX: `topo${Date.now()}`,
        S3_BUCKET: bucket,
        S3_ENDPOINT: endpoint,
        S3_ACCESS_KEY_ID: 'S3RVER',
        S3_SECRET_ACCESS_KEY: 'S3RVER',
        APP_SECRET: 'topology-secret-topology-secret-topology',
        METRICS_TOKEN,
        STABILITY_API_KEY: 'sk-test',
        STABILITY_BASE_URL: stability.baseUrl,
      };
      // A first, alone: it runs the migrations the others then find done.
      apiA = await startServer({ ...env, JOB_WORKER_EMBEDDED: 'false' }, { web: false });
      [apiB] = await Promise.all([
        startServer({ ...env, JOB_WORKER_EMBEDDED: 'false' }, { web: false }),
        // The only cloud worker, so the held paid call is on the one that will be killed.
        newWorker({ local: 1, cloud: 2 }),
        newWorker({ local: 1, cloud: 0 }),
      ]);
      auth = await signInAdmin(apiA);
      const me = await call(apiB, '/api/auth/me', User);
      await call(apiB, `/api/admin/users/${me.id}/credits`, CreditsSummary, {
        method: 'POST',
        body: JSON.stringify({ amount: 1000, reason: 'topology test' }),
      });
      db = openDatabase({ databaseUrl: env.DATABASE_URL, sqlitePath: '' });
      redis = new Redis(env.REDIS_URL ?? '', { maxRetriesPerRequest: null });
      localQueue = new Queue(QUEUE_NAMES.local, { connection: redis, prefix: env.REDIS_PREFIX });
      small = (await makePng(96, 96, 7)).toString('base64');
      mask = (
        await sharp({ create: { width: 96, height: 96, channels: 3, background: 'black' } })
          .composite([
            {
              input: { create: { width: 16, height: 16, channels: 3, background: 'white' } },
              left: 40,
              top: 40,
            },
          ])
          .png()
          .toBuffer()
      ).toString('base64');
    }, 120_000);

    afterAll(async () => {
      await Promise.all(workers.map((w) => w.stop()));
      await apiA?.stop();
      await apiB?.stop();
      await localQueue?.close();
      redis?.disconnect();
      await db?.close();
      await stability.stop();
    });

    it('a paid job submitted on A runs on a worker; B streams its events and shows its asset', async () => {
      const id = await cloudCreate();
      const events = await eventsOnB(id);
      expect(events.at(-1)).toMatchObject({ status: 'succeeded', progress: 100 });
      const job = await jobOnB(id);
      expect(job.status).toBe('succeeded');
      const assetId = job.result?.results?.[0]?.asset_id;
      const file = await fetch(`${apiB.baseUrl}/api/content-assets/${assetId}/file`, { headers: auth });
      expect(file.status).toBe(200);
      expect(await sharp(Buffer.from(await file.arrayBuffer())).metadata()).toMatchObject({
        width: 512,
        height: 512,
      });
    }, 60_000);

    it('a cancel sent to B stops the job A queued, on the worker running it', async () => {
      const id = await upscale((await makePng(128, 128, 3)).toString('base64'), 'conservative', 512);
      await until('the job running on a worker', async () => (await jobOnB(id)).status === 'running');
      const canceled = await call(apiB, `/api/jobs/${id}/cancel`, JobView, { method: 'POST' });
      expect(canceled.status).toBe('canceled');
      // The worker that ran it heard the cancel (Redis pub/sub) and ended its run as canceled.
      await until('a worker counting the canceled run', async () => {
        let runs = 0;
        for (const w of workers) {
          const res = await fetch(w.metricsUrl, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
          runs +=
            sample(await res.text(), 'studio_job_duration_seconds_count', {
              type: 'upscale',
              status: 'canceled',
            }) ?? 0;
        }
        return runs === 1;
      });
      expect((await jobOnB(id)).status).toBe('canceled');
      jobs.delete(id);
    }, 60_000);

    it('SIGKILL of a worker holding a local job and a paid call: every job ends once, credits exact, blobs all in S3', async () => {
      const held = stability.holdNext(/generate/);
      const paid = await cloudCreate();
      await held.reached;
      const slow = [await upscale(small, 'conservative', 384), await upscale(small, 'conservative', 384)];
      const rest = [await upscale(small, 'fast', 384), await erase(), await erase()];
      const sse = eventsOnB(rest[0] ?? '');
      // The victim (the only cloud worker, so it holds the paid call) inside a local job too; BullMQ
      // records which worker process took a job.
      const [victim] = workers;
      await until('the victim running a local job', async () => {
        const running = (await rows()).filter((r) => slow.includes(r.id) && r.status === 'running');
        const holders = await Promise.all(
          running.map(async (r) => (await localQueue.getJob(r.id))?.processedBy),
        );
        return holders.some((h) => h?.endsWith(`:${victim?.child.pid}`));
      });
      await victim?.kill();
      held.release();
      await newWorker({ local: 1, cloud: 2 });

      const ids = [...jobs.keys()];
      await until('every job ended', async () => (await rows()).every((r) => TERMINAL.includes(r.status)));
      const list = await call(apiB, '/api/jobs?status=all&limit=100', JobViews);
      expect(list.jobs.map((j) => j.id)).toEqual(expect.arrayContaining(ids));

      // Local jobs all succeeded; the one the victim held ran once more, nothing ran twice more.
      const byId = new Map((await rows()).map((r) => [r.id, r]));
      const local = ids.filter((id) => jobs.get(id) !== 'cloud');
      for (const id of local) expect(await jobOnB(id)).toMatchObject({ status: 'succeeded', error: null });
      const reruns = local.map((id) => (byId.get(id)?.attempts ?? 0) - 1);
      expect(reruns.filter((n) => n === 1)).toHaveLength(1);
      expect(reruns.filter((n) => n !== 0 && n !== 1)).toEqual([]);
      // One output per job: a re-run replaced nothing and added nothing.
      const outputs = await db.kysely
        .selectFrom('assets')
        .select(['id', 'source_module'])
        .where('source_module', 'in', ['upscale', 'edit'])
        .where('operation', 'in', ['upscale.conservative', 'upscale.fast', 'edit.erase'])
        .execute();
      expect(outputs).toHaveLength(local.length);
      for (const id of [...slow, rest[0] ?? '']) {
        const assetId = (await jobOnB(id)).result?.asset_id;
        const file = await fetch(`${apiB.baseUrl}/api/content-assets/${assetId}/file`, { headers: auth });
        expect(file.status).toBe(200);
        expect(await sharp(Buffer.from(await file.arrayBuffer())).metadata()).toMatchObject({
          width: 384,
          height: 384,
        });
      }

      // The paid call the victim was waiting on: failed interrupted, never made again.
      expect(await jobOnB(paid)).toMatchObject({ status: 'failed', error: { code: 'interrupted' } });
      expect(stability.requests.filter((r) => r.path.includes('/generate/'))).toHaveLength(2);

      // B streamed the progress of a job A queued and a worker ran.
      const events = await sse;
      expect(events.some((e) => e.status === 'running')).toBe(true);
      expect(events.at(-1)).toMatchObject({ status: 'succeeded' });

      // Credits: the first paid job charged once, the interrupted one released, nothing held.
      const credits = await call(apiB, '/api/credits', CreditsSummary);
      const history = await call(apiB, '/api/credits/history?page_size=200', CreditHistory);
      const net = (jobId: string) =>
        history.items.filter((e) => e.job_id === jobId).reduce((sum, e) => sum + e.amount, 0);
      const [firstPaid] = ids.filter((id) => jobs.get(id) === 'cloud' && id !== paid);
      expect(credits.reserved).toBe(0);
      expect(net(paid)).toBe(0);
      expect(
        history.items
          .filter((e) => e.job_id === paid)
          .map((e) => e.kind)
          .sort(),
      ).toEqual(['release', 'reserve']);
      expect(net(firstPaid ?? '')).toBeLessThan(0);
      expect(credits.balance).toBeCloseTo(
        history.items.reduce((sum, e) => sum + e.amount, 0),
        6,
      );

      // Every asset's blob and thumbnails in S3, and nothing in S3 that no asset references.
      const store = createBlobStore(loadConfig({ ...env, DATA_DIR: apiB.dataDir }));
      expect(await blobIntegrity(db.kysely, store)).toEqual({ missing: [], orphans: [] });

      // B's metrics describe the whole deployment (from the shared database).
      const metrics = await (
        await fetch(`${apiB.baseUrl}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })
      ).text();
      expect(sample(metrics, 'studio_jobs', { type: 'upscale', status: 'succeeded' })).toBe(3);
      expect(sample(metrics, 'studio_jobs', { type: 'create', status: 'failed' })).toBe(1);
      expect(sample(metrics, 'studio_jobs', { type: 'upscale', status: 'running' })).toBe(0);
      expect(sample(metrics, 'studio_credits_reserved')).toBe(0);
      // The queues as Redis sees them: the victim is gone, the survivor and the new worker take local
      // jobs, only the new one cloud jobs; nothing waits.
      expect(sample(metrics, 'studio_queue_workers', { queue: QUEUE_NAMES.local })).toBe(2);
      expect(sample(metrics, 'studio_queue_workers', { queue: QUEUE_NAMES.cloud })).toBe(1);
      expect(sample(metrics, 'studio_queue_jobs', { queue: QUEUE_NAMES.local, state: 'waiting' })).toBe(0);
      expect(sample(metrics, 'studio_queue_jobs', { queue: QUEUE_NAMES.local, state: 'active' })).toBe(0);
    }, 180_000);

    it('a social export made on A is downloaded as a ZIP from B (the signing secret is shared, the files are in S3)', async () => {
      const optimized = await call(apiA, '/api/image-studio/social/optimize', SocialOptimizeResponse, {
        method: 'POST',
        body: JSON.stringify({ image_base64: small, platforms: ['instagram'], include_base64: false }),
      });
      expect(optimized.results.length).toBeGreaterThan(0);
      const zip = await fetch(`${apiB.baseUrl}/api/image-studio/social/exports/${optimized.export_id}.zip`, {
        headers: auth,
      });
      expect(zip.status).toBe(200);
      expect(zip.headers.get('x-missing-files')).toBe('');
      const bytes = Buffer.from(await zip.arrayBuffer());
      expect(bytes.subarray(0, 2).toString()).toBe('PK');
      // One central-directory record per output.
      let entries = 0;
      for (let i = bytes.indexOf('PK\x01\x02'); i !== -1; i = bytes.indexOf('PK\x01\x02', i + 4)) entries++;
      expect(entries).toBe(optimized.results.length);
    }, 60_000);
  },
);
