import fs from 'node:fs';
import path from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import { Redis } from 'ioredis';
import { AssetRepository } from './assets/asset.repository.ts';
import { AssetService } from './assets/asset.service.ts';
import { BulkService } from './assets/bulk.service.ts';
import { CollectionRepository } from './assets/collection.repository.ts';
import { CollectionService } from './assets/collection.service.ts';
import { LibraryRepository } from './assets/library.repository.ts';
import { LibraryService } from './assets/library.service.ts';
import { LibraryEditRepository } from './assets/library-edit.repository.ts';
import { OrphanSweeper } from './assets/orphan-sweeper.ts';
import { TrashRepository } from './assets/trash.repository.ts';
import { TrashService } from './assets/trash.service.ts';
import { TrashSweeper } from './assets/trash-sweeper.ts';
import { UploadService } from './assets/upload.service.ts';
import { AccountService } from './auth/account.service.ts';
import { AuthService } from './auth/auth.service.ts';
import { RedisLoginThrottle } from './auth/login-throttle-redis.ts';
import { SecretCheckRepository, type SecretCheckTables } from './auth/secret-check.repository.ts';
import { assertSecretUnchanged } from './auth/secret-check.ts';
import { SessionRepository } from './auth/session.repository.ts';
import { SessionSweeper } from './auth/session-sweeper.ts';
import { TokenRepository } from './auth/token.repository.ts';
import { UserRepository } from './auth/user.repository.ts';
import { UserAdminService } from './auth/user-admin.service.ts';
import type { BillingService } from './billing/billing.service.ts';
import type { BillingTables } from './billing/billing.tables.ts';
import { createBillingService } from './billing/build.ts';
import type { Config } from './config.ts';
import { ControlService } from './control/control.service.ts';
import { CreateService } from './create/create.service.ts';
import { type Db, openDatabase } from './db/database.ts';
import { EditService } from './edit/edit.service.ts';
import { HealthService } from './health/health.service.ts';
import { LocalChecks } from './health/local-checks.ts';
import { Admission } from './imaging/admission.ts';
import { requestFaceDetector, threadedFaceDetector } from './imaging/face-thread.ts';
import { registerStudioJobs } from './job-handlers.ts';
import { BullmqJobRunner } from './jobs/bullmq-runner.ts';
import type { JobService } from './jobs/job.service.ts';
import { JobRegistry } from './jobs/job-registry.ts';
import type { JobRunner } from './jobs/job-runner.ts';
import { createJobSystem } from './jobs/job-system.ts';
import { MetricsRepository } from './metrics/metrics.repository.ts';
import { StudioMetrics } from './metrics/metrics.ts';
import { PersonaRepository } from './personas/persona.repository.ts';
import { PersonaService } from './personas/persona.service.ts';
import { ProviderGateway } from './providers/gateway.ts';
import { ProviderKeyRepository, type ProviderKeyTables } from './providers/keys/key.repository.ts';
import { ProviderKeyService } from './providers/keys/provider-keys.service.ts';
import {
  createProviderRegistry,
  type ProviderRegistry,
  type RegistryOverrides,
} from './providers/registry.ts';
import { loadOrCreateSecret } from './secret.ts';
import { ShareGrants } from './sharing/share-grant.ts';
import { ShareLinkRepository } from './sharing/share-link.repository.ts';
import { ShareLinkService } from './sharing/share-link.service.ts';
import { SocialService } from './social/social.service.ts';
import { SocialStudio } from './social/social-studio.ts';
import type { BlobStore } from './storage/blob-store.ts';
import { createBlobStore } from './storage/index.ts';
import { StudioIo } from './studio/studio-io.ts';
import { TemplateService } from './templates/template.service.ts';
import { registerAnalysisJob } from './understanding/analysis-job.ts';
import { AnalysisWorker } from './understanding/analysis-worker.ts';
import { UnderstandingRepository } from './understanding/understanding.repository.ts';
import { UnderstandingService } from './understanding/understanding.service.ts';
import { UpscaleService } from './upscale/upscale.service.ts';
import { Foreground } from './util/foreground.ts';

/**
 * The composition root: builds every repository and service once and hands each its I/O.
 * Tests build the same context with their own config (a temp dir, PostgreSQL, S3, Redis).
 */
export interface Context {
  config: Config;
  log: FastifyBaseLogger;
  db: Db;
  blobs: BlobStore;
  /** Counters every API process shares (rate limits, the login throttle); absent without REDIS_URL. */
  redis?: Redis;
  secret: Buffer;
  auth: AuthService;
  account: AccountService;
  userAdmin: UserAdminService;
  assets: AssetService;
  library: LibraryService;
  trash: TrashService;
  bulk: BulkService;
  uploads: UploadService;
  collections: CollectionService;
  shareLinks: ShareLinkService;
  understanding: UnderstandingService;
  /** Background analysis of new images; `idle()` waits for it (tests, benches). */
  analysisWorker: AnalysisWorker;
  /** The image requests in flight, which background work waits for. */
  foreground: Foreground;
  templates: TemplateService;
  health: HealthService;
  personas: PersonaService;
  billing: BillingService;
  providers: ProviderRegistry;
  providerKeys: ProviderKeyService;
  gateway: ProviderGateway;
  create: CreateService;
  social: SocialStudio;
  studioIo: StudioIo;
  /** The one pixel budget of image work in requests and local-model jobs. */
  admission: Admission;
  edit: EditService;
  upscale: UpscaleService;
  control: ControlService;
  jobs: JobService;
  jobRegistry: JobRegistry;
  jobRunner: JobRunner;
  /** This process's Prometheus metrics (GET /metrics; a worker's METRICS_PORT). */
  metrics: StudioMetrics;
  close(): Promise<void>;
}

export interface ContextOptions {
  /** Whether this process works BullMQ jobs (default: unless ROLE=api; ignored without Redis). */
  workJobs?: boolean;
  /** Provider client tuning (tests: retries and polls in milliseconds). */
  providerClient?: RegistryOverrides['client'];
  /** Registers job types beyond the product's (tests, benches) before the runner starts. */
  registerJobs?: (registry: JobRegistry, ctx: Omit<Context, 'close' | 'jobs' | 'jobRunner'>) => void;
  /** Wraps the configured blob store (fault tests: a store that fails or pauses on demand). */
  wrapBlobs?: (store: BlobStore) => BlobStore;
}

export async function createContext(
  config: Config,
  log: FastifyBaseLogger,
  options: ContextOptions = {},
): Promise<Context> {
  fs.mkdirSync(config.dataDir, { recursive: true });
  const db = openDatabase({
    databaseUrl: config.databaseUrl,
    sqlitePath: path.join(config.dataDir, 'studio.db'),
    onConnectionError: (err) => log.warn({ err }, 'database connection lost'),
  });
  await db.migrate();
  const blobs = (options.wrapBlobs ?? ((store) => store))(createBlobStore(config));
  const secret = loadOrCreateSecret(config);
  try {
    await assertSecretUnchanged(
      new SecretCheckRepository(db.kysely.withTables<SecretCheckTables>()),
      secret,
      new Date().toISOString(),
    );
  } catch (e) {
    await db.close();
    throw e;
  }

  // Rate limits and failed sign-ins must hold across API processes, so they count in Redis when there is one.
  const redis = config.redisUrl ? new Redis(config.redisUrl, { maxRetriesPerRequest: 1 }) : undefined;
  redis?.on('error', (err) => log.warn({ err }, 'Redis (rate limits, login throttle) error'));
  const users = new UserRepository(db.kysely);
  const sessions = new SessionRepository(db.kysely);
  const auth = new AuthService({
    users,
    sessions,
    tokens: new TokenRepository(db.kysely),
    sessionTtlDays: config.sessionTtlDays,
    ...(redis
      ? {
          throttle: new RedisLoginThrottle(
            redis,
            config.redisPrefix,
            () => new Date(),
            (err) =>
              log.warn(
                { err },
                'login throttle: Redis unreachable; counting failed sign-ins in this process',
              ),
          ),
        }
      : {}),
  });
  const account = new AccountService({ users, sessions });
  const sessionSweeper = new SessionSweeper(auth, log);
  const foreground = new Foreground();
  const assets = new AssetService(new AssetRepository(db.kysely, db.dialect), blobs, {
    foreground,
    onThumbnailError: (assetId, error) => log.error({ err: error, assetId }, 'thumbnails failed'),
    onStorageError: (error) => log.error({ err: error }, 'blob storage failed'),
    storageLimit: (userId) => billing.storageLimit(userId),
  });
  const libraryRepo = new LibraryRepository(db.kysely, db.dialect);
  const libraryEdits = new LibraryEditRepository(db.kysely);
  const trashRepo = new TrashRepository(db.kysely);
  const library = new LibraryService(libraryRepo, libraryEdits, assets, blobs);
  const trash = new TrashService(trashRepo, assets);
  const bulk = new BulkService({ library: libraryRepo, edits: libraryEdits, trash: trashRepo }, trash);
  const uploads = new UploadService(assets, config.limits);
  const collections = new CollectionService(
    new CollectionRepository(db.kysely),
    { library: libraryRepo, edits: libraryEdits },
    assets,
    library,
  );
  const shareLinks = new ShareLinkService(
    new ShareLinkRepository(db.kysely),
    assets,
    collections,
    new ShareGrants(secret),
  );
  const trashSweeper = new TrashSweeper(trash, config.trashRetentionDays, log);
  const orphanSweeper = new OrphanSweeper(blobs, assets, log, {
    graceMinutes: config.orphanBlobGraceMinutes,
  });

  const templates = new TemplateService();
  const health = new HealthService({
    db,
    blobs,
    needsSetup: () => auth.needsSetup(),
    runner: () => jobRunner.kind,
    redis,
    hasServerKey: (provider) => Boolean(config.providers[provider].apiKey),
    local: new LocalChecks(),
  });
  const personas = new PersonaService(new PersonaRepository(db.kysely));

  const providers = createProviderRegistry(config.providers, { client: options.providerClient });
  const providerKeys = new ProviderKeyService({
    repo: new ProviderKeyRepository(db.kysely.withTables<ProviderKeyTables>()),
    secret,
    registry: providers,
  });
  const billing = createBillingService(
    db,
    config,
    log,
    {
      registry: providers,
      availability: (userId) => providerKeys.availability(userId),
    },
    (userId) => assets.storageUsed(userId),
  );
  const userAdmin = new UserAdminService({
    users,
    sessions,
    auth,
    billing,
    library: trash,
    // The job service is built further down; a deletion asks for it only once requests are served.
    jobs: {
      list: (userId, filter, limit) => jobs.list(userId, filter, limit),
      cancel: (userId, jobId) => jobs.cancel(userId, jobId),
    },
  });
  const metrics = new StudioMetrics({
    repo: new MetricsRepository(db.kysely.withTables<BillingTables>()),
    providers,
    // The runner is built below; a scrape asks for it only once requests are served.
    ...(config.redisUrl
      ? { queues: async () => (jobRunner instanceof BullmqJobRunner ? jobRunner.stats() : []) }
      : {}),
  });
  const gateway = new ProviderGateway({
    registry: providers,
    availability: (userId) => providerKeys.availability(userId),
    log,
    onError: (provider, code) => metrics.providerError(provider, code),
  });
  const admission = new Admission(config.imageWork);
  const social = new SocialStudio({
    assets,
    library,
    optimizer: new SocialService({ faces: requestFaceDetector }),
    limits: config.limits,
    admission,
    maxAnswerBytes: config.imageWork.maxAnswerBytes,
    secret,
    campaign: config.socialCampaign,
  });
  const studioIo = new StudioIo({
    assets,
    limits: config.limits,
    maxAnswerBytes: config.imageWork.maxAnswerBytes,
  });
  const create = new CreateService({
    templates,
    personas,
    billing,
    assets,
    providers: gateway,
    faces: threadedFaceDetector,
    io: studioIo,
  });
  const studioDeps = { io: studioIo, billing, gateway, admission };
  const edit = new EditService({ ...studioDeps, maxOutpaintPixels: config.imageWork.maxOutpaintPixels });
  const upscale = new UpscaleService(studioDeps);
  const control = new ControlService(studioDeps);

  const understanding = new UnderstandingService({
    repo: new UnderstandingRepository(db.kysely),
    blobs,
    admission,
    subjects: threadedFaceDetector,
    ownedAsset: (userId, assetId) => assets.owned(userId, assetId),
  });
  const analysisWorker = new AnalysisWorker(understanding, log, foreground);
  const jobRegistry = new JobRegistry();
  const base = {
    config,
    log,
    db,
    blobs,
    redis,
    secret,
    auth,
    account,
    userAdmin,
    assets,
    library,
    trash,
    bulk,
    uploads,
    collections,
    shareLinks,
    understanding,
    analysisWorker,
    foreground,
    templates,
    health,
    personas,
    billing,
    providers,
    providerKeys,
    gateway,
    create,
    social,
    studioIo,
    admission,
    edit,
    upscale,
    control,
    jobRegistry,
    metrics,
  };
  registerStudioJobs(jobRegistry, { create, edit, upscale, control, social: social.campaigns });
  registerAnalysisJob(jobRegistry, understanding);
  options.registerJobs?.(jobRegistry, base);

  const workJobs = options.workJobs ?? config.role !== 'api';
  const {
    events,
    runner: jobRunner,
    jobs,
  } = await createJobSystem({
    config,
    kysely: db.kysely,
    registry: jobRegistry,
    log,
    hooks: {
      settle: (id) => billing.settleAbandoned(id),
      finished: (type, status, seconds) => metrics.jobFinished(type, status, seconds),
    },
    workJobs,
  });
  const recovered = await jobs.recover();
  if (recovered.failed + recovered.requeued > 0) {
    log.warn(recovered, 'recovered jobs left over from a previous run');
  }
  await billing.reconcile();
  const unthumbnailed = await assets.resumeThumbnails();
  if (unthumbnailed > 0) log.warn({ assets: unthumbnailed }, 'making thumbnails a previous run left undone');

  trashSweeper.start();
  orphanSweeper.start();
  sessionSweeper.start();
  if (workJobs && config.analyzeNewAssets) analysisWorker.start();

  return {
    ...base,
    jobs,
    jobRunner,
    async close() {
      await trashSweeper.stop();
      await orphanSweeper.stop();
      await sessionSweeper.stop();
      analysisWorker.stop();
      await jobRunner.close();
      await assets.stopThumbnails();
      await events.close();
      redis?.disconnect();
      await db.close();
    },
  };
}
