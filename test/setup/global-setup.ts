import fs from 'node:fs';
import type { TestProject } from 'vitest/node';
import { makeTempRoot, startPostgres, startRedis, startS3, type TestServices } from './services.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    services: TestServices;
  }
}

export default async function setup(project: TestProject) {
  const root = makeTempRoot();
  const services: TestServices = { problems: [] };
  const stops: Array<() => unknown> = [];
  const attempt = async (name: string, start: () => Promise<void>) => {
    try {
      await start();
    } catch (e) {
      services.problems.push(`${name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  await Promise.all([
    attempt('postgresql', async () => {
      const pg = await startPostgres(root);
      services.pgUrl = pg.url;
      stops.push(pg.stop);
    }),
    attempt('redis', async () => {
      const redis = await startRedis(root);
      services.redisUrl = redis.url;
      stops.push(redis.stop);
    }),
    attempt('s3', async () => {
      const s3 = await startS3(root);
      services.s3Endpoint = s3.endpoint;
      stops.push(s3.stop);
    }),
  ]);
  if (services.problems.length > 0 && process.env.CI === 'true') {
    for (const stop of stops) {
      await stop();
    }
    throw new Error(`Test servers failed to start under CI=true:\n${services.problems.join('\n')}`);
  }
  project.provide('services', services);
  return async () => {
    for (const stop of stops) {
      await stop();
    }
    fs.rmSync(root, { recursive: true, force: true });
  };
}
