import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { Config } from '../config.ts';
import type { Database } from '../db/schema.ts';
import { BullmqJobRunner } from './bullmq-runner.ts';
import { InlineJobRunner } from './inline-runner.ts';
import { JobRepository } from './job.repository.ts';
import { JobService } from './job.service.ts';
import { type JobEventBus, LocalJobEventBus, RedisJobEventBus } from './job-events.ts';
import { JobExecutor, type JobExecutorHooks } from './job-executor.ts';
import type { JobRegistry } from './job-registry.ts';
import type { JobRunner } from './job-runner.ts';

export interface JobSystem {
  events: JobEventBus;
  runner: JobRunner;
  jobs: JobService;
}

/**
 * The job machinery on the configured backend: with REDIS_URL, BullMQ queues and Redis events shared
 * by every process (working jobs only when `workJobs`); without, the in-process runner and events.
 * The registry must hold every job type before this is called: a worker starts taking jobs here.
 */
export async function createJobSystem(deps: {
  config: Pick<Config, 'redisUrl' | 'redisPrefix' | 'workerConcurrency' | 'jobConcurrency'>;
  kysely: Kysely<Database>;
  registry: JobRegistry;
  log: FastifyBaseLogger;
  hooks: JobExecutorHooks;
  workJobs: boolean;
}): Promise<JobSystem> {
  const { config, registry, log } = deps;
  const repo = new JobRepository(deps.kysely);
  const events: JobEventBus = config.redisUrl
    ? new RedisJobEventBus(config.redisUrl, config.redisPrefix, log)
    : new LocalJobEventBus();
  const executor = new JobExecutor(repo, registry, events, log, deps.hooks);
  const runner: JobRunner = config.redisUrl
    ? new BullmqJobRunner(
        executor,
        {
          redisUrl: config.redisUrl,
          prefix: config.redisPrefix,
          concurrency: deps.workJobs ? config.workerConcurrency : { local: 0, cloud: 0 },
          onLost: (id) => executor.interrupt(id),
        },
        log,
      )
    : new InlineJobRunner(executor, config.jobConcurrency);
  const jobs = new JobService({ repo, registry, runner, events, log });
  if (runner instanceof BullmqJobRunner) {
    await runner.waitUntilReady();
  }
  return { events, runner, jobs };
}
