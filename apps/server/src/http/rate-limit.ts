import type { RateLimitPluginOptions } from '@fastify/rate-limit';
import type { Redis } from 'ioredis';
import type { Config } from '../config.ts';
import { AppError } from '../errors.ts';

/**
 * The per-user (or, anonymous, per-address) request limit. With REDIS_URL the counters live in Redis,
 * so a user spread over several API processes by a load balancer gets one limit, not one per process.
 * A Redis outage lets requests through (`skipOnError`) rather than failing them all: jobs already
 * wait for Redis to come back, and the per-account login throttle still counts failed sign-ins.
 */
export function rateLimitOptions(
  config: Pick<Config, 'rateLimitPerMinute' | 'redisPrefix'>,
  redis: Redis | undefined,
): RateLimitPluginOptions {
  return {
    global: true,
    hook: 'preHandler',
    max: config.rateLimitPerMinute,
    timeWindow: '1 minute',
    ...(redis ? { redis, nameSpace: `${config.redisPrefix}:rate-limit:`, skipOnError: true } : {}),
    keyGenerator: (request) => (request.user ? `user:${request.user.id}` : `ip:${request.ip}`),
    errorResponseBuilder: (_request, context) =>
      new AppError(
        429,
        'rate_limited',
        `Too many requests; try again in ${Math.ceil(context.ttl / 1000)} s.`,
        {
          retry_after: Math.ceil(context.ttl / 1000),
        },
      ),
  };
}
