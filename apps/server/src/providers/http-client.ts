import type { AppError } from '../errors.ts';
import { CircuitBreaker } from './circuit-breaker.ts';
import { type ProviderFailureCode, providerError } from './errors.ts';
import type { ProviderId } from './types.ts';

/**
 * The one HTTP client every provider uses: per-call timeout, retries with exponential backoff and
 * jitter that honour Retry-After, a circuit breaker per provider, and error mapping through the
 * provider's own classifier. A paid POST is re-sent only when the answer proves it was not accepted.
 */

export interface RetryPolicy {
  /** Total attempts including the first. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited for; the error goes to the caller (and fallback). */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 3,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 30_000,
};

export interface HttpResponse {
  status: number;
  headers: Headers;
  body: Buffer;
  url: string;
}

export interface ProviderFailure {
  code: ProviderFailureCode;
  message?: string;
  retryAfterMs?: number;
  /** The provider certainly did not start the work (429, 503, model loading) so re-sending is safe. */
  notAccepted?: boolean;
}

export type FailureClassifier = (res: HttpResponse) => ProviderFailure;

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  body?: string | FormData | Buffer;
  /** True for polls, downloads and other requests that may be repeated without side effects. */
  idempotent: boolean;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Statuses other than 2xx that the caller handles itself (e.g. 202 in-progress polls are 2xx already). */
  passStatuses?: readonly number[];
}

export interface HttpClientOptions {
  provider: ProviderId;
  timeoutMs: number;
  classify: FailureClassifier;
  retry?: Partial<RetryPolicy>;
  breaker?: CircuitBreaker;
  fetchImpl?: typeof fetch;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
}

export const abortableSleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/** Retry-After as seconds or an HTTP date, in milliseconds from now. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Mapping by HTTP status alone; provider classifiers refine it from their error bodies. */
export function classifyStatus(
  res: HttpResponse,
  message?: string,
  now: number = Date.now(),
): ProviderFailure {
  const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), now);
  const s = res.status;
  if (s === 401) return { code: 'provider_auth', message };
  if (s === 402) return { code: 'provider_quota', message };
  if (s === 403) return { code: 'provider_auth', message };
  if (s === 429) return { code: 'rate_limited', message, retryAfterMs, notAccepted: true };
  if (s === 503) return { code: 'provider_unavailable', message, retryAfterMs, notAccepted: true };
  if (s >= 500 || s === 404 || s === 408) return { code: 'provider_unavailable', message, retryAfterMs };
  return { code: 'provider_rejected', message };
}

/** Best-effort message from a JSON or text error body. */
export function errorText(res: HttpResponse): string | undefined {
  const text = res.body.toString('utf8').trim();
  if (!text) return undefined;
  return text.length > 500 ? `${text.slice(0, 500)}…` : text;
}

class TransportError extends Error {
  constructor(
    message: string,
    readonly refused: boolean,
    readonly timedOut: boolean,
  ) {
    super(message);
  }
}

const causeCode = (err: unknown): string | undefined => {
  const cause = err instanceof Error ? (err.cause as { code?: unknown } | undefined) : undefined;
  return typeof cause?.code === 'string' ? cause.code : undefined;
};

export class ProviderHttpClient {
  readonly provider: ProviderId;
  readonly breaker: CircuitBreaker;
  private readonly retry: RetryPolicy;
  private readonly fetchImpl: typeof fetch;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly random: () => number;

  constructor(private readonly opts: HttpClientOptions) {
    this.provider = opts.provider;
    this.retry = { ...DEFAULT_RETRY, ...opts.retry };
    this.breaker = opts.breaker ?? new CircuitBreaker();
    this.fetchImpl = opts.fetchImpl ?? fetch;
    this.sleep = opts.sleep ?? abortableSleep;
    this.random = opts.random ?? Math.random;
  }

  /** Sends the request; resolves with a 2xx (or a `passStatuses`) response, throws a mapped AppError. */
  async send(req: HttpRequest, classify: FailureClassifier = this.opts.classify): Promise<HttpResponse> {
    for (let attempt = 1; ; attempt++) {
      if (!this.breaker.tryAcquire()) {
        throw providerError('provider_unavailable', this.provider, {
          providerMessage: 'circuit open after repeated failures',
          retryAfterMs: this.breaker.retryInMs(),
        });
      }
      const outcome = await this.attempt(req, classify);
      if ('response' in outcome) return outcome.response;
      const { failure, res } = outcome;
      const error = this.toError(failure, res);
      const mayRepeat =
        (failure.code === 'rate_limited' || failure.code === 'provider_unavailable') &&
        (req.idempotent || failure.notAccepted === true);
      if (!mayRepeat || attempt >= this.retry.maxAttempts) throw error;
      const wait = failure.retryAfterMs ?? this.backoff(attempt);
      if (wait > this.retry.maxRetryAfterMs) throw error;
      await this.sleep(wait, req.signal);
    }
  }

  private async attempt(
    req: HttpRequest,
    classify: FailureClassifier,
  ): Promise<{ response: HttpResponse } | { failure: ProviderFailure; res?: HttpResponse }> {
    let res: HttpResponse;
    try {
      res = await this.once(req);
    } catch (err) {
      if (req.signal?.aborted) {
        this.breaker.release();
        throw err;
      }
      this.breaker.failure();
      const t = err instanceof TransportError ? err : new TransportError(String(err), false, false);
      return { failure: { code: 'provider_unavailable', message: t.message, notAccepted: t.refused } };
    }
    if ((res.status >= 200 && res.status < 300) || req.passStatuses?.includes(res.status)) {
      this.breaker.success();
      return { response: res };
    }
    const failure = classify(res);
    if (res.status >= 500) this.breaker.failure();
    else if (failure.code === 'rate_limited') this.breaker.release();
    else this.breaker.success();
    return { failure, res };
  }

  /** Exponential backoff with equal jitter: half fixed, half random, capped. */
  backoff(attempt: number): number {
    const cap = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1));
    return Math.round(cap / 2 + this.random() * (cap / 2));
  }

  private toError(failure: ProviderFailure, res?: HttpResponse): AppError {
    return providerError(failure.code, this.provider, {
      providerStatus: res?.status,
      providerMessage: failure.message,
      providerRequestId: res?.headers.get('x-request-id') ?? undefined,
      retryAfterMs: failure.retryAfterMs,
    });
  }

  private async once(req: HttpRequest): Promise<HttpResponse> {
    const timeoutMs = req.timeoutMs ?? this.opts.timeoutMs;
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const onAbort = () => controller.abort(req.signal?.reason);
    req.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const res = await this.fetchImpl(req.url, {
        method: req.method,
        headers: req.headers,
        body: req.body,
        signal: controller.signal,
      });
      const body = Buffer.from(await res.arrayBuffer());
      return { status: res.status, headers: res.headers, body, url: res.url || req.url };
    } catch (err) {
      if (timedOut) throw new TransportError(`no answer within ${timeoutMs} ms`, false, true);
      if (req.signal?.aborted) throw err;
      const code = causeCode(err);
      throw new TransportError(
        `connection failed${code ? ` (${code})` : ''}`,
        code === 'ECONNREFUSED',
        false,
      );
    } finally {
      clearTimeout(timer);
      req.signal?.removeEventListener('abort', onAbort);
    }
  }
}
