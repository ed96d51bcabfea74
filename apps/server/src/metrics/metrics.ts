import { JobStatus } from '@studio/contracts';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { toCredits } from '../billing/money.ts';
import type { QueueStats } from '../jobs/bullmq-runner.ts';
import type { BreakerState } from '../providers/circuit-breaker.ts';
import type { MetricsRepository } from './metrics.repository.ts';

const BREAKER_STATES: readonly BreakerState[] = ['closed', 'half_open', 'open'];

export interface BreakerSource {
  list(): Array<{ id: string; health?(): { state: BreakerState } }>;
}

/**
 * The Prometheus metrics of one process (prom-client). Two kinds:
 * - counted here, per process: request latency by route pattern, job durations and outcomes (in the
 *   process that ran the job: a worker's are served on its METRICS_PORT), provider errors and each
 *   provider's circuit-breaker state;
 * - read from the shared database at scrape time, the same on every process: jobs by type and
 *   status (queued, running, failed, …) and credits reserved. Aggregate those with max(), not sum().
 */
export class StudioMetrics {
  readonly registry = new Registry();
  private readonly requests: Histogram<'method' | 'route' | 'status_code'>;
  private readonly jobDuration: Histogram<'type' | 'status'>;
  private readonly providerErrors: Counter<'provider' | 'code'>;

  constructor(deps: {
    repo: MetricsRepository;
    providers: BreakerSource;
    /** The BullMQ queues, when jobs run on Redis: workers alive and jobs waiting, per queue. */
    queues?: () => Promise<QueueStats[]>;
  }) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'studio_' });
    this.requests = new Histogram({
      name: 'studio_http_request_duration_seconds',
      help: 'HTTP request latency by route pattern (not raw URL), method and status code.',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.jobDuration = new Histogram({
      name: 'studio_job_duration_seconds',
      help: 'Time from start to outcome of the jobs this process ran, by type and outcome.',
      labelNames: ['type', 'status'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
      registers,
    });
    this.providerErrors = new Counter({
      name: 'studio_provider_errors_total',
      help: 'Failed provider calls made by this process, by provider and error code.',
      labelNames: ['provider', 'code'],
      registers,
    });
    new Gauge({
      name: 'studio_provider_breaker_state',
      help: "This process's circuit breaker per provider: 1 for its current state (closed, half_open, open).",
      labelNames: ['provider', 'state'],
      registers,
      collect() {
        for (const provider of deps.providers.list()) {
          const state = provider.health?.().state;
          if (!state) continue;
          for (const s of BREAKER_STATES) this.set({ provider: provider.id, state: s }, s === state ? 1 : 0);
        }
      },
    });
    new Gauge({
      name: 'studio_jobs',
      help: 'Jobs by type and status in the shared database (every process reports the same).',
      labelNames: ['type', 'status'],
      registers,
      async collect() {
        this.reset();
        const counts = await deps.repo.jobCounts();
        for (const type of new Set(counts.map((c) => c.type))) {
          for (const status of JobStatus.options) {
            const found = counts.find((c) => c.type === type && c.status === status);
            this.set({ type, status }, found?.count ?? 0);
          }
        }
      },
    });
    const queues = deps.queues;
    if (queues) {
      new Gauge({
        name: 'studio_queue_workers',
        help: 'Worker processes connected to each BullMQ queue now (0: its jobs wait).',
        labelNames: ['queue'],
        registers,
        async collect() {
          for (const q of await queues()) this.set({ queue: q.queue }, q.workers);
        },
      });
      new Gauge({
        name: 'studio_queue_jobs',
        help: 'Jobs in each BullMQ queue: waiting for a worker, or active (taken by one).',
        labelNames: ['queue', 'state'],
        registers,
        async collect() {
          for (const q of await queues()) {
            this.set({ queue: q.queue, state: 'waiting' }, q.waiting);
            this.set({ queue: q.queue, state: 'active' }, q.active);
          }
        },
      });
    }
    new Gauge({
      name: 'studio_credits_reserved',
      help: 'Credits held by running jobs, not yet captured or released (shared database).',
      registers,
      async collect() {
        this.set(toCredits(await deps.repo.unitsReserved()));
      },
    });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  request(method: string, route: string, statusCode: number, seconds: number): void {
    this.requests.observe({ method, route, status_code: String(statusCode) }, seconds);
  }

  jobFinished(type: string, status: 'succeeded' | 'failed' | 'canceled', seconds: number): void {
    this.jobDuration.observe({ type, status }, seconds);
  }

  providerError(provider: string, code: string): void {
    this.providerErrors.inc({ provider, code });
  }
}
