import type { JobEvent, JobStatus } from '@studio/contracts';
import { useSyncExternalStore } from 'react';
import { jobs as jobApi } from '../api/endpoints.ts';
import { STUDIOS } from '../studios.tsx';

export interface TrackedJob {
  id: string;
  label: string;
  /** Where the job's results are shown. */
  href?: string;
  status: JobStatus;
  progress: number;
  message?: string;
  /** Why a queued job is not starting (no worker for its kind is running), from the server. */
  notice?: string | null;
  startedAt: number;
}

const TERMINAL: ReadonlySet<JobStatus> = new Set(['succeeded', 'failed', 'canceled']);
export const isTerminal = (status: JobStatus): boolean => TERMINAL.has(status);

let jobs: readonly TrackedJob[] = [];
const listeners = new Set<() => void>();
const streams = new Map<string, EventSource>();

function emit(): void {
  for (const listener of listeners) {
    listener();
  }
}

function update(id: string, patch: Partial<TrackedJob>): void {
  jobs = jobs.map((job) => (job.id === id ? { ...job, ...patch } : job));
  emit();
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

function isJobEvent(value: unknown): value is JobEvent {
  return isRecord(value) && typeof value.status === 'string' && typeof value.progress === 'number';
}

/** Follows a job's server-sent events until it ends; the stream closes itself on a terminal status. */
function follow(id: string): void {
  const source = new EventSource(jobApi.eventsUrl(id));
  streams.set(id, source);
  source.addEventListener('status', (event) => {
    const data: unknown = event instanceof MessageEvent ? JSON.parse(String(event.data)) : undefined;
    if (!isJobEvent(data)) {
      return;
    }
    update(id, {
      status: data.status,
      progress: data.progress,
      message: data.message,
      ...(data.status === 'queued' ? {} : { notice: null }),
    });
    if (isTerminal(data.status)) {
      source.close();
      streams.delete(id);
    }
  });
  source.onerror = () => {
    // The server ends the stream after the last event; anything else is retried by EventSource.
    if (source.readyState === EventSource.CLOSED) {
      streams.delete(id);
    }
  };
}

/**
 * A label and a place to see the results of a job this tab did not start (e.g. after a reload):
 * the studio's screen with `?job=`, as the screens themselves link their runs.
 */
function describe(type: string, id: string): { label: string; href?: string } {
  const family = type.split('.')[0] ?? type;
  const studio = STUDIOS.find((s) => s.id === family);
  const label = studio?.title ?? family.charAt(0).toUpperCase() + family.slice(1);
  return { label, ...(studio?.path ? { href: `${studio.path}?job=${id}` } : {}) };
}

export const jobStore = {
  /** Follows jobs the server says are still running, so the tray survives a reload. */
  restore(
    active: readonly {
      id: string;
      type: string;
      status: JobStatus;
      progress: number;
      notice: string | null;
    }[],
  ): void {
    for (const job of [...active].reverse()) {
      const { label, href } = describe(job.type, job.id);
      jobStore.track(job.id, label, href);
      update(job.id, { status: job.status, progress: job.progress, notice: job.notice });
    }
  },
  track(id: string, label: string, href?: string): void {
    if (jobs.some((j) => j.id === id)) {
      return;
    }
    const job: TrackedJob = { id, label, href, status: 'queued', progress: 0, startedAt: Date.now() };
    jobs = [job, ...jobs].slice(0, 20);
    emit();
    follow(id);
    // The events carry progress only; whether a queued job waits for a worker is on the job itself.
    jobApi
      .get(id)
      .then((found) => {
        if (found.status === 'queued') update(id, { notice: found.notice });
      })
      .catch(() => undefined);
  },
  dismiss(id: string): void {
    streams.get(id)?.close();
    streams.delete(id);
    jobs = jobs.filter((j) => j.id !== id);
    emit();
  },
  clearFinished(): void {
    jobs = jobs.filter((j) => !isTerminal(j.status));
    emit();
  },
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  snapshot: (): readonly TrackedJob[] => jobs,
};

export function useJobs(): readonly TrackedJob[] {
  return useSyncExternalStore(jobStore.subscribe, jobStore.snapshot);
}

export function useJob(id: string | null): TrackedJob | undefined {
  return useJobs().find((j) => j.id === id);
}
