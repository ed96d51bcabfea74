import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('runs on embedded defaults with an empty environment', () => {
    const config = loadConfig({});
    expect(config.port).toBe(8080);
    expect(config.dataDir).toBe(path.resolve('./data'));
    expect(config.databaseUrl).toBeUndefined();
    expect(config.s3).toBeUndefined();
    expect(config.redisUrl).toBeUndefined();
    expect(config.limits).toEqual({ maxUploadBytes: 25 * 1024 * 1024, maxInputPixels: 50_000_000 });
    expect(config.providers.wavespeed.baseUrl).toBe('https://api.wavespeed.ai/api/v3');
    expect(config.providers.stability.baseUrl).toBe('https://api.stability.ai');
  });

  it('refuses to start naming every bad variable', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', MAX_UPLOAD_MB: '-1' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toContain('PORT');
    expect(message).toContain('DATABASE_URL');
    expect(message).toContain('MAX_UPLOAD_MB');
  });

  it('trusts no proxy unless TRUST_PROXY names a hop count or the proxies', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.1, 192.168.0.0/16,::1,loopback' }).trustProxy).toEqual([
      '10.0.0.1',
      '192.168.0.0/16',
      '::1',
      'loopback',
    ]);
    for (const bad of ['true', '10.0.0.300', '10.0.0.0/33', 'proxy.example']) {
      expect(() => loadConfig({ TRUST_PROXY: bad }), bad).toThrow(/TRUST_PROXY/);
    }
  });

  it('treats empty strings as unset and selects S3 only with a bucket', () => {
    const config = loadConfig({ DATABASE_URL: '', S3_BUCKET: 'b', S3_ENDPOINT: 'http://127.0.0.1:9000' });
    expect(config.databaseUrl).toBeUndefined();
    expect(config.s3?.bucket).toBe('b');
  });

  it('runs as api, worker or both by ROLE; JOB_WORKER_EMBEDDED=false still means api; a split needs Redis', () => {
    const redis = { REDIS_URL: 'redis://127.0.0.1:6379' };
    expect(loadConfig({}).role).toBe('all');
    expect(loadConfig({ ...redis, ROLE: 'worker' }).role).toBe('worker');
    const legacy = loadConfig({ ...redis, JOB_WORKER_EMBEDDED: 'false' });
    expect(legacy.role).toBe('api');
    expect(legacy.deprecations).toEqual(['JOB_WORKER_EMBEDDED is deprecated: set ROLE=api instead.']);
    expect(loadConfig({ ...redis, JOB_WORKER_EMBEDDED: 'false', ROLE: 'all' }).role).toBe('all');
    expect(loadConfig({}).deprecations).toEqual([]);
    expect(() => loadConfig({ ROLE: 'api' })).toThrow(/ROLE: api needs REDIS_URL/);
    expect(() => loadConfig({ ROLE: 'worker' })).toThrow(/ROLE: worker needs REDIS_URL/);
    expect(() => loadConfig({ ROLE: 'both' })).toThrow(ConfigError);
    expect(loadConfig({}).workerConcurrency).toEqual({ local: 1, cloud: 4 });
    expect(loadConfig({ LOCAL_JOB_CONCURRENCY: '0', CLOUD_JOB_CONCURRENCY: '8' }).workerConcurrency).toEqual({
      local: 0,
      cloud: 8,
    });
  });
});
