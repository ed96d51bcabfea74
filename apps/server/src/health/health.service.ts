import type { Health } from '@studio/contracts';
import { type LocalModel, MODULE_LOCAL_MODELS } from '@studio/contracts/rules';
import { CLOUD_PROVIDERS, type CloudProviderId } from '../providers/types.ts';
import type { Check, LocalChecks } from './local-checks.ts';

const VERSION = '1.0.0';

type ModuleStatus = 'available' | 'degraded' | 'unavailable';

export interface HealthDeps {
  db: { ping(): Promise<void>; readonly dialect: string };
  blobs: { ping(): Promise<void>; readonly kind: string };
  needsSetup: () => Promise<boolean>;
  /** The job runner's kind (built after this service, so asked when a report is made). */
  runner: () => 'inline' | 'bullmq';
  /** The Redis the queue and counters use; absent without REDIS_URL. */
  redis?: { ping(): Promise<unknown> };
  /** Whether the server holds a key for this cloud provider (users may still add their own). */
  hasServerKey: (provider: CloudProviderId) => boolean;
  local: LocalChecks;
}

/** A probe that hangs (a Redis reconnecting) answers as an error after this long. */
const PROBE_TIMEOUT_MS = 2_000;

async function probe(fn: () => Promise<unknown>): Promise<Check> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
  });
  try {
    await Promise.race([fn(), timeout]);
    return { status: 'ok' };
  } catch (e) {
    return { status: 'error', error: e instanceof Error ? e.message : String(e) };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Every module but the ones with nothing to fail runs its work as jobs; without the queue they
 * cannot. Without one of its local models a module is short one way of working.
 */
function moduleStatus(
  module: string,
  queue: Check | undefined,
  local: Record<LocalModel, Check>,
): ModuleStatus {
  if (queue?.status === 'error') return 'unavailable';
  const models = MODULE_LOCAL_MODELS[module] ?? [];
  return models.every((m) => local[m].status === 'ok') ? 'available' : 'degraded';
}

/**
 * The health report from real checks: database and storage answer, the queue's Redis answers, the
 * local models' files are whole, which cloud providers have a server key. A module is `degraded`
 * when one of its ways of working is gone (e.g. Edit without ISNet still fills and recolors, the
 * Social Optimizer without the detector still crops by saliency, the library without it or OCR
 * still saves and searches what was typed) and `unavailable` when none is left.
 */
export class HealthService {
  constructor(private readonly deps: HealthDeps) {}

  async report(signedIn: boolean): Promise<Health> {
    const [database, storage, queue] = await Promise.all([
      probe(() => this.deps.db.ping()),
      probe(() => this.deps.blobs.ping()),
      this.deps.redis ? probe(() => this.deps.redis?.ping() ?? Promise.resolve()) : undefined,
    ]);
    const needsSetup = database.status === 'ok' ? await this.deps.needsSetup() : false;
    const up = [database, storage, queue].every((c) => c === undefined || c.status === 'ok');
    const status = up ? ('healthy' as const) : ('degraded' as const);
    // Versions, backends and error texts help an attacker more than a load balancer: signed-in only.
    if (!signedIn) return { status, service: 'image_studio', needs_setup: needsSetup };
    const local = this.deps.local.results();
    const serverKeys = CLOUD_PROVIDERS.filter((p) => this.deps.hasServerKey(p));
    return {
      status,
      service: 'image_studio',
      version: VERSION,
      // The original's four modules, then the studios it listed elsewhere; the web dashboard reads them.
      modules: {
        create_studio: moduleStatus('create_studio', queue, local),
        templates: 'available',
        providers: serverKeys.length > 0 ? 'available' : 'degraded',
        compression: 'available',
        edit_studio: moduleStatus('edit_studio', queue, local),
        upscale_studio: moduleStatus('upscale_studio', queue, local),
        control_studio: moduleStatus('control_studio', queue, local),
        // Optimizing one image is synchronous; only campaigns queue, and a failed queue shows on them.
        social_optimizer: moduleStatus('social_optimizer', undefined, local),
        library: moduleStatus('library', undefined, local),
      },
      local_models: local,
      providers: Object.fromEntries(
        CLOUD_PROVIDERS.map((p) => [p, { configured: this.deps.hasServerKey(p) }]),
      ),
      database: { ...database, dialect: this.deps.db.dialect },
      storage: { ...storage, kind: this.deps.blobs.kind },
      jobs: { runner: this.deps.runner(), ...(queue ? { queue } : {}) },
      needs_setup: needsSetup,
    };
  }
}
