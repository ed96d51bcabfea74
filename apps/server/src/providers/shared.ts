import { imageDimensions } from '../imaging/probe.ts';
import { tryParseJson } from '../util/try-parse-json.ts';
import { findModel, priceFor } from './catalog.ts';
import { type BreakerPolicy, CircuitBreaker } from './circuit-breaker.ts';
import { providerError } from './errors.ts';
import {
  abortableSleep,
  type FailureClassifier,
  ProviderHttpClient,
  type RetryPolicy,
} from './http-client.ts';
import { nearestSize, type SizeChoice, sizeForAspectRatio } from './sizing.ts';
import type { ModelSpec, Operation, ProviderId, ProviderRequest, ProviderResult } from './types.ts';

/** What every cloud client is built from. All intervals are configurable so tests run in milliseconds. */
export interface ProviderClientOptions {
  baseUrl: string;
  timeoutMs: number;
  retry?: Partial<RetryPolicy>;
  breaker?: BreakerPolicy;
  /** Async results: time between polls and the overall deadline. */
  poll?: { intervalMs: number; timeoutMs: number };
  fetchImpl?: typeof fetch;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export const DEFAULT_POLL = { intervalMs: 2_000, timeoutMs: 300_000 };

export const makeHttp = (provider: ProviderId, opts: ProviderClientOptions, classify: FailureClassifier) =>
  new ProviderHttpClient({
    provider,
    timeoutMs: opts.timeoutMs,
    classify,
    retry: opts.retry,
    breaker: new CircuitBreaker(opts.breaker),
    fetchImpl: opts.fetchImpl,
    sleep: opts.sleep,
  });

export function requireModel(
  provider: ProviderId,
  models: readonly ModelSpec[],
  req: ProviderRequest,
): ModelSpec {
  const spec = models.find((m) => m.id === req.model) ?? findModel(provider, req.model);
  if (!spec || !models.includes(spec) || !spec.operations.includes(req.operation)) {
    throw providerError('provider_rejected', provider, {
      providerMessage: `model ${req.model} does not support ${req.operation}`,
    });
  }
  return spec;
}

/**
 * The model's documented limits, checked before anything is sent: a request the provider would refuse
 * costs a round trip and, for some providers, a rate-limit slot. Callers that can adapt an input
 * (downscale, pad) read the same limits from the catalogue first.
 */
export async function checkLimits(
  provider: ProviderId,
  spec: ModelSpec,
  req: ProviderRequest,
): Promise<void> {
  const reject = (message: string) =>
    providerError('provider_rejected', provider, { providerMessage: message });
  if (spec.promptMaxLength && req.prompt && req.prompt.length > spec.promptMaxLength) {
    throw reject(`prompt: must be at most ${spec.promptMaxLength} characters`);
  }
  const limits = spec.input;
  if (!limits || !req.image) return;
  let size: { width: number; height: number };
  try {
    size = await imageDimensions(req.image);
  } catch {
    throw reject('image: is not a readable image');
  }
  const { width, height } = size;
  const pixels = width * height;
  const ratio = width / height;
  if (limits.minSide && Math.min(width, height) < limits.minSide) {
    throw reject(`image: width and height must be at least ${limits.minSide} px (got ${width}×${height})`);
  }
  if (limits.maxSide && Math.max(width, height) > limits.maxSide) {
    throw reject(`image: width and height must be at most ${limits.maxSide} px (got ${width}×${height})`);
  }
  if (limits.minPixels && pixels < limits.minPixels)
    throw reject(`image: must have at least ${limits.minPixels} pixels`);
  if (limits.maxPixels && pixels > limits.maxPixels)
    throw reject(`image: must have at most ${limits.maxPixels} pixels`);
  if ((limits.minAspect && ratio < limits.minAspect) || (limits.maxAspect && ratio > limits.maxAspect)) {
    throw reject(
      `image: aspect ratio must be between ${limits.minAspect ?? 0}:1 and ${limits.maxAspect ?? '∞'}:1`,
    );
  }
}

/** The size to ask the model for, from the caller's target size or aspect ratio. */
export function outputSize(spec: ModelSpec, req: ProviderRequest): SizeChoice {
  if (req.width && req.height) return nearestSize(spec, { width: req.width, height: req.height });
  return sizeForAspectRatio(spec, req.aspectRatio);
}

export function sniffMime(bytes: Buffer): string {
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return 'image/png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return 'image/jpeg';
  if (
    bytes.subarray(0, 4).toString('latin1') === 'RIFF' &&
    bytes.subarray(8, 12).toString('latin1') === 'WEBP'
  ) {
    return 'image/webp';
  }
  return 'application/octet-stream';
}

export const imageBlob = (bytes: Buffer) => new Blob([new Uint8Array(bytes)], { type: sniffMime(bytes) });

export const extensionFor = (mime: string) => (mime === 'image/jpeg' ? 'jpg' : (mime.split('/')[1] ?? 'bin'));

/** Builds the result, checking the bytes really are an image and charging from the catalogue. */
export async function finishResult(
  provider: ProviderId,
  operation: Operation,
  model: string,
  image: Buffer,
  extra: {
    seed?: number;
    requestId?: string;
    moderated?: boolean;
    mime?: string;
    kind?: 'ai' | 'layout';
  } = {},
): Promise<ProviderResult> {
  let size: { width: number; height: number };
  try {
    size = await imageDimensions(image);
  } catch {
    throw providerError('provider_unavailable', provider, {
      providerMessage: 'provider returned bytes that are not an image',
    });
  }
  const mime = sniffMime(image);
  return {
    provider,
    model,
    image,
    mime: mime === 'application/octet-stream' ? (extra.mime ?? mime) : mime,
    width: size.width,
    height: size.height,
    seed: extra.seed,
    requestId: extra.requestId,
    costCredits: priceFor(provider, model, operation, undefined, size) ?? 0,
    moderated: extra.moderated ?? false,
    kind: extra.kind ?? 'ai',
  };
}

/** Polls `check` until it yields a value or the deadline passes. */
export async function pollUntil<T>(
  provider: ProviderId,
  poll: { intervalMs: number; timeoutMs: number },
  check: () => Promise<T | undefined>,
  signal?: AbortSignal,
  sleep: (ms: number, signal?: AbortSignal) => Promise<void> = abortableSleep,
): Promise<T> {
  const deadline = Date.now() + poll.timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() + poll.intervalMs > deadline) {
      throw providerError('provider_unavailable', provider, {
        providerMessage: `result not ready within ${poll.timeoutMs} ms`,
      });
    }
    await sleep(poll.intervalMs, signal);
  }
}

/** Parses a JSON body, or undefined when it is not JSON. */
export const parseJson = (body: Buffer): unknown => tryParseJson(body.toString('utf8'));

export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
export const asString = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
