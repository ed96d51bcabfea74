import { randomBytes } from 'node:crypto';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import pg from 'pg';
import { inject } from 'vitest';

/**
 * Access to the servers global-setup started. Each helper makes an isolated space for one test
 * file (a fresh database, a fresh bucket, a fresh Redis prefix), so files can run in parallel.
 */
export const services = () => inject('services');

export type Dialect = 'sqlite' | 'postgres';
export type Storage = 'fs' | 's3';
export type Runner = 'inline' | 'bullmq';

const suffix = () => randomBytes(5).toString('hex');

/** Whether a suite can run here; under CI=true a missing server already failed global setup. */
export const hasPostgres = () => services().pgUrl !== undefined;
export const hasRedis = () => services().redisUrl !== undefined;
export const hasS3 = () => services().s3Endpoint !== undefined;

export async function createPgDatabase(): Promise<string> {
  const adminUrl = services().pgUrl;
  if (!adminUrl) {
    throw new Error('PostgreSQL test server is not running');
  }
  const name = `t_${suffix()}`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  return adminUrl.replace(/\/[^/]*$/, `/${name}`);
}

export async function createS3Bucket(): Promise<{ endpoint: string; bucket: string }> {
  const endpoint = services().s3Endpoint;
  if (!endpoint) {
    throw new Error('S3 test server is not running');
  }
  const bucket = `t-${suffix()}`;
  const client = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  client.destroy();
  return { endpoint, bucket };
}

/** Environment for loadConfig selecting the given backends (plus a fresh data folder). */
export async function backendEnv(options: {
  dataDir: string;
  dialect?: Dialect;
  storage?: Storage;
  runner?: Runner;
}): Promise<Record<string, string>> {
  const env: Record<string, string> = {
    DATA_DIR: options.dataDir,
    LOG_LEVEL: 'silent',
    NODE_ENV: 'test',
    APP_SECRET: 'test-secret-test-secret-test-secret-42',
  };
  if (options.dialect === 'postgres') {
    env.DATABASE_URL = await createPgDatabase();
  }
  if (options.storage === 's3') {
    const { endpoint, bucket } = await createS3Bucket();
    Object.assign(env, {
      S3_BUCKET: bucket,
      S3_ENDPOINT: endpoint,
      S3_ACCESS_KEY_ID: 'S3RVER',
      S3_SECRET_ACCESS_KEY: 'S3RVER',
    });
  }
  if (options.runner === 'bullmq') {
    const url = services().redisUrl;
    if (!url) {
      throw new Error('Redis test server is not running');
    }
    env.REDIS_URL = url;
    env.REDIS_PREFIX = `t${suffix()}`;
  }
  return env;
}
