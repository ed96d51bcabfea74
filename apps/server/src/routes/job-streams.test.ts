import { ErrorResponse } from '@studio/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  addUser,
  bearer,
  setupAdmin,
  startTestApp,
  type TestApp,
} from '../../../../test/support/test-app.ts';
import type { JobRegistry } from '../jobs/job-registry.ts';

const StatusEvent = z.object({ status: z.string() });

/** A job that runs until the test releases it. */
const gates = new Map<string, () => void>();
function registerGateJob(registry: JobRegistry) {
  registry.register<{ gate: string }, { done: true }>({
    type: 'test.gate',
    run: async (job) => {
      await job.progress(5, 'waiting');
      await new Promise<void>((resolve) => gates.set(job.input.gate, resolve));
      return { done: true };
    },
  });
}

interface Stream {
  status: number;
  code?: string;
  /** Resolves with every `status` event once the server ends the stream. */
  ended: Promise<{ status: string }[]>;
  close(): void;
}

describe('job event streams (SSE)', () => {
  let t: TestApp;
  let base: string;
  let alice: { token: string; userId: number };
  let bob: { token: string; userId: number };

  const submit = async (userId: number, gate: string) =>
    (await t.ctx.jobs.submit(userId, 'test.gate', { gate })).id;

  /** Opens a stream and waits for its first event (or its refusal). */
  const open = async (token: string, jobId: string): Promise<Stream> => {
    const abort = new AbortController();
    const res = await fetch(`${base}/api/jobs/${jobId}/events`, {
      headers: bearer(token),
      signal: abort.signal,
    });
    if (res.status !== 200 || !res.body) {
      return {
        status: res.status,
        code: ErrorResponse.parse(await res.json()).error.code,
        ended: Promise.resolve([]),
        close() {},
      };
    }
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let text = '';
    while (!text.includes('event: status')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    const ended = (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          text += decoder.decode(value, { stream: true });
        }
      } catch {
        // aborted by the test
      }
      return [...text.matchAll(/^data: (.*)$/gm)].map((m) => StatusEvent.parse(JSON.parse(m[1] ?? '{}')));
    })();
    return { status: res.status, ended, close: () => abort.abort() };
  };

  beforeAll(async () => {
    t = await startTestApp({
      registerJobs: registerGateJob,
      env: { SSE_MAX_STREAMS_PER_USER: '2', SSE_MAX_STREAM_SECONDS: '2', JOB_CONCURRENCY: '4' },
    });
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const admin = await setupAdmin(t.app);
    alice = await addUser(t.app, admin.token, 'alice@example.com');
    bob = await addUser(t.app, admin.token, 'bob@example.com');
  });
  afterAll(async () => {
    for (const release of gates.values()) release();
    await t?.close();
  });

  it('caps the streams one user holds open; closing one frees its place; others are not affected', async () => {
    const job = await submit(alice.userId, 'cap');
    const first = await open(alice.token, job);
    const second = await open(alice.token, job);
    expect([first.status, second.status]).toEqual([200, 200]);
    const third = await open(alice.token, job);
    expect(third.status).toBe(429);
    expect(third.code).toBe('rate_limited');

    const bobs = await open(bob.token, await submit(bob.userId, 'bob'));
    expect(bobs.status).toBe(200);

    first.close();
    await expect
      .poll(async () => {
        const again = await open(alice.token, job);
        again.close();
        return again.status;
      })
      .toBe(200);
    second.close();
    bobs.close();
    gates.get('cap')?.();
    gates.get('bob')?.();
  });

  it('ends when the job ends, with the final status as the last event', async () => {
    const job = await submit(alice.userId, 'ends');
    const stream = await open(alice.token, job);
    await expect.poll(() => gates.has('ends')).toBe(true);
    gates.get('ends')?.();
    const events = await stream.ended;
    expect(events.at(-1)).toMatchObject({ status: 'succeeded' });
  });

  it('ends after SSE_MAX_STREAM_SECONDS while the job still runs, and gives its place back', async () => {
    const job = await submit(alice.userId, 'long');
    await expect.poll(() => gates.has('long')).toBe(true);
    const streams = [await open(alice.token, job), await open(alice.token, job)];
    const events = await Promise.all(streams.map((s) => s.ended));
    for (const e of events) {
      expect(e.map((x) => x.status)).not.toContain('succeeded');
    }
    expect((await t.ctx.jobs.owned(alice.userId, job)).status).toBe('running');
    const after = await open(alice.token, job);
    expect(after.status).toBe(200);
    after.close();
    gates.get('long')?.();
  });
});
