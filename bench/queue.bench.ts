import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { UpscaleImageRequest } from '@studio/contracts';
import pino from 'pino';
import { loadConfig } from '../apps/server/src/config.ts';
import { type Context, createContext } from '../apps/server/src/context.ts';
import { makeTempRoot, startRedis } from '../test/setup/services.ts';
import { makePng } from '../test/support/images.ts';

/**
 * `npm run bench queue`: what BullMQ costs and what a second worker buys on this machine.
 * 1. Per-job overhead: a job that does nothing, run one after another through the in-process runner
 *    (the baseline) and through BullMQ on a local Redis with the worker in the same process.
 * 2. Local-job throughput: LOCAL_JOBS local super-resolution upscales queued by an API-only process
 *    and worked by one, then two, worker processes (`npm run worker`, one local job at a time each).
 */
const NOOP_JOBS = 200;
const LOCAL_JOBS = 8;
const root = makeTempRoot();
const redis = await startRedis(root);
const log = pino({ level: 'silent' });
const baseEnv = (name: string) => ({
  DATA_DIR: path.join(root, name),
  LOG_LEVEL: 'silent',
  APP_SECRET: 'bench-secret-bench-secret-bench-secret-42',
  WEB_DIST_DIR: path.join(root, 'no-web'),
});

const percentile = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? 0;

async function noopLatencies(runner: 'inline' | 'bullmq'): Promise<number[]> {
  const env = {
    ...baseEnv(`noop-${runner}`),
    ...(runner === 'bullmq' ? { REDIS_URL: redis.url, REDIS_PREFIX: 'bench-noop' } : {}),
  };
  const ctx = await createContext(loadConfig(env), log, {
    registerJobs: (registry) => registry.register({ type: 'bench.noop', run: async () => null }),
  });
  try {
    const user = await ctx.auth.setup('bench@example.com', 'correct horse battery');
    const times: number[] = [];
    for (let i = 0; i < NOOP_JOBS + 20; i++) {
      const started = performance.now();
      await ctx.jobs.runUntyped(user.id, 'bench.noop', {});
      if (i >= 20) times.push(performance.now() - started);
    }
    return times;
  } finally {
    await ctx.close();
  }
}

async function localThroughput(workers: number): Promise<number> {
  const env = {
    ...baseEnv(`local-${workers}`),
    REDIS_URL: redis.url,
    REDIS_PREFIX: `bench-local-${workers}`,
  };
  const api: Context = await createContext(loadConfig({ ...env, ROLE: 'api' }), log);
  const children: ChildProcess[] = [];
  try {
    const user = await api.auth.setup('bench@example.com', 'correct horse battery');
    const image = (await makePng(96, 96, 3)).toString('base64');
    const upscale = async () => {
      const request = UpscaleImageRequest.parse({
        image_base64: image,
        mode: 'conservative',
        provider: 'local',
        target_width: 384,
        target_height: 384,
      });
      const input = await api.upscale.prepare(user.id, request);
      return (await api.jobs.submit(user.id, 'upscale', input)).id;
    };
    for (let i = 0; i < workers; i++) {
      children.push(
        spawn(process.execPath, ['--import', 'tsx', path.resolve('apps/server/src/worker.ts')], {
          env: { ...process.env, ...env, LOCAL_JOB_CONCURRENCY: '1' },
          stdio: ['ignore', 'ignore', 'inherit'],
        }),
      );
    }
    // One job per worker first, so model loading and start-up stay out of the measurement.
    for (const id of await Promise.all(children.map(upscale))) await api.jobs.waitFor(id);
    const started = performance.now();
    const ids = [];
    for (let i = 0; i < LOCAL_JOBS; i++) ids.push(await upscale());
    const done = await Promise.all(ids.map((id) => api.jobs.waitFor(id)));
    const failed = done.filter((j) => j.status !== 'succeeded').length;
    if (failed > 0) throw new Error(`${failed} local jobs did not succeed`);
    return (performance.now() - started) / 1000;
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await api.close();
  }
}

try {
  const inline = await noopLatencies('inline');
  const queued = await noopLatencies('bullmq');
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  process.stdout.write(
    `no-op job, ${NOOP_JOBS} in a row: inline mean ${mean(inline).toFixed(2)} ms (p99 ${percentile(inline, 99).toFixed(2)}), ` +
      `BullMQ mean ${mean(queued).toFixed(2)} ms (p99 ${percentile(queued, 99).toFixed(2)}): ` +
      `the queue adds ${(mean(queued) - mean(inline)).toFixed(2)} ms per job (×${(mean(queued) / mean(inline)).toFixed(1)} of inline)\n`,
  );
  const one = await localThroughput(1);
  process.stdout.write(
    `${LOCAL_JOBS} local upscales (96 → 384 px, ESRGAN), 1 worker: ${one.toFixed(1)} s, ${(LOCAL_JOBS / one).toFixed(2)} jobs/s\n`,
  );
  const two = await localThroughput(2);
  process.stdout.write(
    `${LOCAL_JOBS} local upscales, 2 workers: ${two.toFixed(1)} s, ${(LOCAL_JOBS / two).toFixed(2)} jobs/s (×${(one / two).toFixed(2)} of one worker)\n`,
  );
} finally {
  redis.stop();
}
process.exit(0);
