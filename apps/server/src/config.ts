import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';

/**
 * The one config module. Every setting the server reads comes from the environment through this
 * schema, so a bad value stops start-up with a message naming the variable (see `loadConfig`).
 * `.env.example` lists the same settings with the same defaults.
 */
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));
const url = (fallback: string) => z.string().url().default(fallback);

/**
 * TRUST_PROXY: empty = trust no proxy (the socket's address is the client); a hop count; or the
 * proxies' addresses/CIDRs, comma-separated. `true` is refused: believing every X-Forwarded-For would
 * let any client pick its own rate-limit bucket. The keywords are proxy-addr's ranges (127.0.0.1/8, …).
 */
const PROXY_KEYWORDS = new Set(['loopback', 'linklocal', 'uniquelocal']);
const trustProxy = optionalString.transform((v, ctx): false | number | string[] => {
  if (v === undefined || v === 'false' || v === '0') return false;
  if (/^\d+$/.test(v)) return Number(v);
  const entries = v.split(',').map((s) => s.trim());
  const bad = entries.filter((entry) => {
    if (PROXY_KEYWORDS.has(entry)) return false;
    const [address = '', bits, ...rest] = entry.split('/');
    const family = isIP(address);
    const maxBits = family === 6 ? 128 : 32;
    return (
      family === 0 ||
      rest.length > 0 ||
      (bits !== undefined && (!/^\d+$/.test(bits) || Number(bits) > maxBits))
    );
  });
  if (bad.length) {
    ctx.addIssue({
      code: 'custom',
      message: `expected a hop count or comma-separated proxy addresses/CIDRs; not understood: ${bad.join(', ')}`,
    });
    return z.NEVER;
  }
  return entries;
});

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().default('./data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Origin the web app is served from; used by the cross-site check. Empty = the request's Host. */
  PUBLIC_URL: optionalString.pipe(z.string().url().optional()),
  WEB_DIST_DIR: z.string().default(path.resolve(import.meta.dirname, '../../web/dist')),

  DATABASE_URL: optionalString.pipe(z.string().startsWith('postgres').optional()),

  S3_BUCKET: optionalString,
  S3_ENDPOINT: optionalString.pipe(z.string().url().optional()),
  S3_REGION: z.string().default('us-east-1'),
  S3_ACCESS_KEY_ID: optionalString,
  S3_SECRET_ACCESS_KEY: optionalString,
  S3_FORCE_PATH_STYLE: bool.default(true),

  REDIS_URL: optionalString.pipe(z.string().startsWith('redis').optional()),
  /** Namespaces queues and channels, so several installs (or test runs) can share one Redis. */
  REDIS_PREFIX: z
    .string()
    .regex(/^[\w-]+$/)
    .default('studio'),
  /** api = serve HTTP and queue jobs; worker = work queued jobs only; all = both (see `roleOf`). */
  ROLE: z.enum(['api', 'worker', 'all']).optional(),
  /** Deprecated: `false` is ROLE=api; ROLE wins when both are set. */
  JOB_WORKER_EMBEDDED: bool.optional(),
  /** Jobs the in-process runner (no REDIS_URL) runs at once. */
  JOB_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  /** Local-model jobs a BullMQ worker runs at once; 0 = this process never takes one. */
  LOCAL_JOB_CONCURRENCY: z.coerce.number().int().min(0).max(64).default(1),
  /** Jobs that may call a paid provider a BullMQ worker runs at once; 0 = never takes one. */
  CLOUD_JOB_CONCURRENCY: z.coerce.number().int().min(0).max(64).default(4),

  /** Encrypts users' provider keys. Empty = generated once and kept in DATA_DIR/secret.key. */
  APP_SECRET: optionalString.pipe(z.string().min(32).optional()),
  SESSION_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  COOKIE_SECURE: z.enum(['auto', 'true', 'false']).default('auto'),
  /** Job event streams (SSE) one user may hold open at once; one more is refused with 429. */
  SSE_MAX_STREAMS_PER_USER: z.coerce.number().int().min(1).max(1000).default(16),
  /** A job event stream ends after this long; the browser reconnects and is authenticated again. */
  SSE_MAX_STREAM_SECONDS: z.coerce.number().int().min(1).max(86_400).default(900),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  LOGIN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(10),
  /** Bearer token Prometheus sends to GET /metrics (admins reach it with their own session or token). */
  METRICS_TOKEN: optionalString.pipe(z.string().min(32).optional()),
  /** A worker's own /metrics port (job durations, provider errors live in its memory). */
  METRICS_PORT: optionalString.pipe(z.coerce.number<string | undefined>().int().min(1).max(65535).optional()),
  /** Proxies in front of the studio whose X-Forwarded-For is believed (see `trustProxy`). */
  TRUST_PROXY: trustProxy,

  MAX_UPLOAD_MB: z.coerce.number().positive().max(1024).default(25),
  MAX_INPUT_MEGAPIXELS: z.coerce.number().positive().max(1000).default(50),
  TRASH_RETENTION_DAYS: z.coerce.number().int().min(0).default(30),
  /** Analyse new images (hash, palette) in the background of processes that work jobs; `false` leaves them to the backfill job. */
  ANALYZE_NEW_ASSETS: z.enum(['true', 'false']).default('true'),
  /** Every user's storage quota in MB, instead of their plan's (empty = the plan decides). */
  STORAGE_QUOTA_MB: optionalString.pipe(z.coerce.number<string | undefined>().positive().max(1e9).optional()),
  /** Blobs no asset references are deleted once older than this (a crash between blob and row). */
  ORPHAN_BLOB_GRACE_MINUTES: z.coerce.number().int().min(1).default(60),
  /** Encoded image bytes one JSON answer may carry (base64 adds a third on top). */
  MAX_ANSWER_MB: z.coerce.number().positive().max(1024).default(100),
  /** Pixels decoded, processed or encoded at once, by requests and local-model jobs together. */
  IMAGE_PIXEL_BUDGET_MEGAPIXELS: z.coerce.number().positive().max(10_000).default(200),
  /** Local-model jobs (ISNet, fills, super-resolution) running at once; cloud jobs do not count. */
  LOCAL_MODEL_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
  /** How long a request waits for room in the pixel budget before a 503 with Retry-After. */
  IMAGE_QUEUE_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
  /** Largest canvas an outpaint may produce. */
  MAX_OUTPAINT_MEGAPIXELS: z.coerce.number().positive().max(1000).default(16),
  /** Sources one Social campaign may take. */
  SOCIAL_CAMPAIGN_MAX_SOURCES: z.coerce.number().int().min(1).max(100).default(10),
  /** A campaign's sources together, counted from their headers before anything is decoded. */
  SOCIAL_CAMPAIGN_MAX_MEGAPIXELS: z.coerce.number().positive().max(10_000).default(300),
  SOCIAL_CAMPAIGN_MAX_MB: z.coerce.number().positive().max(10_240).default(150),
  /** Past this many outputs (sources × formats) a campaign answers 202 and runs in the background. */
  SOCIAL_CAMPAIGN_INLINE_OUTPUTS: z.coerce.number().int().min(0).max(10_000).default(40),

  STABILITY_API_KEY: optionalString,
  WAVESPEED_API_KEY: optionalString,
  HF_TOKEN: optionalString,
  GEMINI_API_KEY: optionalString,
  STABILITY_BASE_URL: url('https://api.stability.ai'),
  WAVESPEED_BASE_URL: url('https://api.wavespeed.ai/api/v3'),
  HF_BASE_URL: url('https://router.huggingface.co/hf-inference'),
  GEMINI_BASE_URL: url('https://generativelanguage.googleapis.com/v1beta'),
  GEMINI_IMAGEN_ENABLED: bool.default(false),
  PROVIDER_TIMEOUT_MS: z.coerce.number().int().min(100).default(120_000),
});

export type Env = z.infer<typeof envSchema>;

export interface Config {
  env: Env['NODE_ENV'];
  port: number;
  host: string;
  dataDir: string;
  logLevel: Env['LOG_LEVEL'];
  publicUrl?: string;
  webDistDir: string;
  databaseUrl?: string;
  s3?: {
    bucket: string;
    endpoint?: string;
    region: string;
    accessKeyId?: string;
    secretAccessKey?: string;
    forcePathStyle: boolean;
  };
  redisUrl?: string;
  redisPrefix: string;
  role: Role;
  jobConcurrency: number;
  /** A BullMQ worker's concurrency per kind of job (0 = not taken by this process). */
  workerConcurrency: { local: number; cloud: number };
  /** Settings still honoured but to be replaced, for start-up to log. */
  deprecations: string[];
  appSecret?: string;
  sessionTtlDays: number;
  cookieSecure: Env['COOKIE_SECURE'];
  jobStreams: { maxPerUser: number; maxMs: number };
  rateLimitPerMinute: number;
  loginRateLimitPerMinute: number;
  metrics: { token?: string; port?: number };
  /** Fastify's `trustProxy`: false, a hop count, or proxy addresses/CIDRs. */
  trustProxy: false | number | string[];
  limits: { maxUploadBytes: number; maxInputPixels: number };
  trashRetentionDays: number;
  analyzeNewAssets: boolean;
  /** Overrides every plan's storage quota when set. */
  storageQuotaBytes?: number;
  orphanBlobGraceMinutes: number;
  imageWork: {
    maxAnswerBytes: number;
    pixelBudget: number;
    localModelConcurrency: number;
    queueMs: number;
    maxOutpaintPixels: number;
  };
  /** Social campaigns (several sources in one run): limits, and when one runs in the background. */
  socialCampaign: { maxSources: number; maxPixels: number; maxBytes: number; inlineOutputs: number };
  providers: {
    stability: { apiKey?: string; baseUrl: string };
    wavespeed: { apiKey?: string; baseUrl: string };
    huggingface: { apiKey?: string; baseUrl: string };
    gemini: { apiKey?: string; baseUrl: string; imagenEnabled: boolean };
    timeoutMs: number;
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const stripSlash = (u: string) => u.replace(/\/+$/, '');

export type Role = 'api' | 'worker' | 'all';

/**
 * Without Redis the jobs run in the serving process, so only `all` makes sense there; JOB_WORKER_EMBEDDED
 * (the setting before ROLE) still maps `false` to `api` so existing deployments keep their topology.
 */
function roleOf(e: Env): { role: Role; problems: string[]; deprecations: string[] } {
  const role = e.ROLE ?? (e.JOB_WORKER_EMBEDDED === false ? 'api' : 'all');
  const deprecations =
    e.JOB_WORKER_EMBEDDED === undefined
      ? []
      : [`JOB_WORKER_EMBEDDED is deprecated: set ROLE=${e.JOB_WORKER_EMBEDDED ? 'all' : 'api'} instead.`];
  const problems =
    role !== 'all' && !e.REDIS_URL
      ? [`ROLE: ${role} needs REDIS_URL (without Redis, jobs run inside the serving process: ROLE=all).`]
      : [];
  if (e.METRICS_PORT !== undefined && !e.METRICS_TOKEN) {
    problems.push('METRICS_PORT: needs METRICS_TOKEN (the port answers that bearer token only).');
  }
  return { role, problems, deprecations };
}

/** Validates `env` (default `process.env`); throws ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `${i.path.join('.') || '(environment)'}: ${i.message}`),
    );
  }
  const e = parsed.data;
  const { role, problems, deprecations } = roleOf(e);
  if (problems.length) {
    throw new ConfigError(problems);
  }
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.DATA_DIR),
    logLevel: e.LOG_LEVEL,
    publicUrl: e.PUBLIC_URL,
    webDistDir: path.resolve(e.WEB_DIST_DIR),
    databaseUrl: e.DATABASE_URL,
    s3: e.S3_BUCKET
      ? {
          bucket: e.S3_BUCKET,
          endpoint: e.S3_ENDPOINT,
          region: e.S3_REGION,
          accessKeyId: e.S3_ACCESS_KEY_ID,
          secretAccessKey: e.S3_SECRET_ACCESS_KEY,
          forcePathStyle: e.S3_FORCE_PATH_STYLE,
        }
      : undefined,
    redisUrl: e.REDIS_URL,
    redisPrefix: e.REDIS_PREFIX,
    role,
    jobConcurrency: e.JOB_CONCURRENCY,
    workerConcurrency: { local: e.LOCAL_JOB_CONCURRENCY, cloud: e.CLOUD_JOB_CONCURRENCY },
    deprecations,
    appSecret: e.APP_SECRET,
    sessionTtlDays: e.SESSION_TTL_DAYS,
    cookieSecure: e.COOKIE_SECURE,
    jobStreams: { maxPerUser: e.SSE_MAX_STREAMS_PER_USER, maxMs: e.SSE_MAX_STREAM_SECONDS * 1000 },
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    loginRateLimitPerMinute: e.LOGIN_RATE_LIMIT_PER_MINUTE,
    metrics: { token: e.METRICS_TOKEN, port: e.METRICS_PORT },
    trustProxy: e.TRUST_PROXY,
    limits: {
      maxUploadBytes: Math.round(e.MAX_UPLOAD_MB * 1024 * 1024),
      maxInputPixels: Math.round(e.MAX_INPUT_MEGAPIXELS * 1_000_000),
    },
    trashRetentionDays: e.TRASH_RETENTION_DAYS,
    analyzeNewAssets: e.ANALYZE_NEW_ASSETS === 'true',
    storageQuotaBytes:
      e.STORAGE_QUOTA_MB === undefined ? undefined : Math.round(e.STORAGE_QUOTA_MB * 1024 * 1024),
    orphanBlobGraceMinutes: e.ORPHAN_BLOB_GRACE_MINUTES,
    imageWork: {
      maxAnswerBytes: Math.round(e.MAX_ANSWER_MB * 1024 * 1024),
      pixelBudget: Math.round(e.IMAGE_PIXEL_BUDGET_MEGAPIXELS * 1_000_000),
      localModelConcurrency: e.LOCAL_MODEL_CONCURRENCY,
      queueMs: e.IMAGE_QUEUE_MS,
      maxOutpaintPixels: Math.round(e.MAX_OUTPAINT_MEGAPIXELS * 1_000_000),
    },
    socialCampaign: {
      maxSources: e.SOCIAL_CAMPAIGN_MAX_SOURCES,
      maxPixels: Math.round(e.SOCIAL_CAMPAIGN_MAX_MEGAPIXELS * 1_000_000),
      maxBytes: Math.round(e.SOCIAL_CAMPAIGN_MAX_MB * 1024 * 1024),
      inlineOutputs: e.SOCIAL_CAMPAIGN_INLINE_OUTPUTS,
    },
    providers: {
      stability: { apiKey: e.STABILITY_API_KEY, baseUrl: stripSlash(e.STABILITY_BASE_URL) },
      wavespeed: { apiKey: e.WAVESPEED_API_KEY, baseUrl: stripSlash(e.WAVESPEED_BASE_URL) },
      huggingface: { apiKey: e.HF_TOKEN, baseUrl: stripSlash(e.HF_BASE_URL) },
      gemini: {
        apiKey: e.GEMINI_API_KEY,
        baseUrl: stripSlash(e.GEMINI_BASE_URL),
        imagenEnabled: e.GEMINI_IMAGEN_ENABLED,
      },
      timeoutMs: e.PROVIDER_TIMEOUT_MS,
    },
  };
}
