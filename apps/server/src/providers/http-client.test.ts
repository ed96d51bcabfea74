import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import { CircuitBreaker } from './circuit-breaker.ts';
import { isFallbackWorthy, isRetryable } from './errors.ts';
import {
  classifyStatus,
  errorText,
  type HttpClientOptions,
  ProviderHttpClient,
  parseRetryAfter,
} from './http-client.ts';

type Step = { status: number; headers?: Record<string, string>; body?: string } | 'hang';

let script: Step[] = [];
let hits = 0;
const server = http.createServer((req, res) => {
  hits++;
  req.resume();
  const step = script.shift() ?? { status: 200, body: 'ok' };
  if (step === 'hang') return;
  res.writeHead(step.status, step.headers);
  res.end(step.body ?? '');
});
let base = '';

beforeAll(async () => {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});
beforeEach(() => {
  script = [];
  hits = 0;
});

const client = (over: Partial<HttpClientOptions> = {}) =>
  new ProviderHttpClient({
    provider: 'stability',
    timeoutMs: 2000,
    classify: (res) => classifyStatus(res, errorText(res)),
    retry: { baseDelayMs: 1, maxDelayMs: 5, maxAttempts: 4, maxRetryAfterMs: 2000 },
    ...over,
  });

const caught = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
};

const post = { method: 'POST', url: '', idempotent: false } as const;

describe('ProviderHttpClient', () => {
  it('retries a POST after 429, waiting the Retry-After', async () => {
    const waits: number[] = [];
    script = [
      { status: 429, headers: { 'retry-after': '1' } },
      { status: 200, body: 'done' },
    ];
    const res = await client({ sleep: async (ms) => void waits.push(ms) }).send({ ...post, url: base });
    expect(res.body.toString()).toBe('done');
    expect(hits).toBe(2);
    expect(waits).toEqual([1000]);
  });

  it('never re-sends a paid POST after a 500', async () => {
    script = [{ status: 500, body: 'boom' }, { status: 200 }];
    const err = await caught(client().send({ ...post, url: base }));
    expect(err.code).toBe('provider_unavailable');
    expect(err.status).toBe(503);
    expect(isRetryable(err)).toBe(true);
    expect(isFallbackWorthy(err)).toBe(true);
    expect(hits).toBe(1);
  });

  it('retries idempotent GETs on 5xx with backoff', async () => {
    script = [{ status: 500 }, { status: 502 }, { status: 200, body: 'x' }];
    const res = await client().send({ method: 'GET', url: base, idempotent: true });
    expect(res.status).toBe(200);
    expect(hits).toBe(3);
  });

  it('gives up after maxAttempts', async () => {
    script = [{ status: 503 }, { status: 503 }, { status: 503 }, { status: 503 }, { status: 200 }];
    const err = await caught(client().send({ method: 'GET', url: base, idempotent: true }));
    expect(err.code).toBe('provider_unavailable');
    expect(hits).toBe(4);
  });

  it('maps a hang to a timeout without re-sending the POST', async () => {
    script = ['hang', { status: 200 }];
    const err = await caught(client({ timeoutMs: 100 }).send({ ...post, url: base }));
    expect(err.code).toBe('provider_unavailable');
    expect(String((err.details as { providerMessage: string }).providerMessage)).toMatch(/100 ms/);
    expect(hits).toBe(1);
  });

  it('re-sends a POST when the connection was refused before sending', async () => {
    const closed = http.createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/`;
    closed.close();
    let calls = 0;
    const fetchImpl: typeof fetch = async (_input, init) => {
      calls++;
      if (calls === 1) return fetch(deadUrl, init);
      return fetch(base, init);
    };
    const res = await client({ fetchImpl }).send({ ...post, url: base });
    expect(res.status).toBe(200);
    expect(calls).toBe(2);
  });

  it('does not wait for a Retry-After beyond the limit and passes it on', async () => {
    script = [{ status: 429, headers: { 'retry-after': '120' } }];
    const err = await caught(client().send({ ...post, url: base }));
    expect(err.code).toBe('rate_limited');
    expect(err.status).toBe(429);
    expect(err.headers?.['retry-after']).toBe('120');
    expect(hits).toBe(1);
  });

  it('maps the user bad request to provider_rejected with the provider message, no retry', async () => {
    script = [{ status: 400, body: '{"errors":["prompt: is required"]}' }];
    const err = await caught(client().send({ ...post, url: base }));
    expect(err.code).toBe('provider_rejected');
    expect(err.status).toBe(400);
    expect(err.message).toContain('prompt: is required');
    expect(isFallbackWorthy(err)).toBe(false);
    expect(hits).toBe(1);
  });

  it('opens the circuit after N failures and recovers after the cooldown', async () => {
    let now = 0;
    const breaker = new CircuitBreaker({ failureThreshold: 2, cooldownMs: 1000 }, () => now);
    const c = client({ breaker });
    script = [{ status: 500 }, { status: 500 }];
    await caught(c.send({ ...post, url: base }));
    await caught(c.send({ ...post, url: base }));
    expect(breaker.state).toBe('open');
    const fast = await caught(c.send({ ...post, url: base }));
    expect(fast.code).toBe('provider_unavailable');
    expect(hits).toBe(2);
    now = 1000;
    expect(breaker.state).toBe('half_open');
    script = [{ status: 200, body: 'back' }];
    const res = await c.send({ ...post, url: base });
    expect(res.body.toString()).toBe('back');
    expect(breaker.state).toBe('closed');
  });

  it('re-opens when the half-open trial fails', async () => {
    let now = 0;
    const breaker = new CircuitBreaker({ failureThreshold: 1, cooldownMs: 10 }, () => now);
    const c = client({ breaker });
    script = [{ status: 500 }, { status: 500 }];
    await caught(c.send({ ...post, url: base }));
    now = 10;
    await caught(c.send({ ...post, url: base }));
    expect(breaker.state).toBe('open');
    expect(hits).toBe(2);
  });
});

describe('cancellation', () => {
  it("a caller's abort stops the retry wait and does not count against the provider", async () => {
    const breaker = new CircuitBreaker({ failureThreshold: 1, cooldownMs: 60_000 });
    const controller = new AbortController();
    script = [{ status: 429, headers: { 'retry-after': '1' } }];
    const c = client({ breaker, sleep: undefined });
    const pending = c.send({ ...post, url: base, signal: controller.signal });
    setTimeout(() => controller.abort(new Error('user canceled')), 50);
    await expect(pending).rejects.toThrow('user canceled');
    expect(hits).toBe(1);
    expect(breaker.state).toBe('closed');
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    const now = Date.parse('2026-11-25T00:00:00Z');
    expect(parseRetryAfter('Wed, 25 Nov 2026 00:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});
