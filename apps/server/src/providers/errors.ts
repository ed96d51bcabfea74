import { AppError } from '../errors.ts';
import type { ProviderId } from './types.ts';

/**
 * Provider failures as AppErrors with stable codes. `retryable` means the same provider may succeed
 * if asked again later (the http client retries these when it is safe); `fallback` means another
 * provider may serve the same request. The user's own bad request and moderation are neither: asking
 * someone else would fail the same way or route around a safety decision.
 */
export type ProviderFailureCode =
  | 'content_moderated'
  | 'provider_auth'
  | 'provider_quota'
  | 'rate_limited'
  | 'provider_unavailable'
  | 'provider_rejected';

const STATUS: Readonly<Record<ProviderFailureCode, number>> = {
  content_moderated: 422,
  provider_auth: 502,
  provider_quota: 502,
  rate_limited: 429,
  provider_unavailable: 503,
  provider_rejected: 400,
};

const RETRYABLE: ReadonlySet<ProviderFailureCode> = new Set(['rate_limited', 'provider_unavailable']);
/** A bad or empty key at one provider says nothing about the request, so another provider may serve it. */
const FALLBACK: ReadonlySet<ProviderFailureCode> = new Set([
  'rate_limited',
  'provider_unavailable',
  'provider_auth',
  'provider_quota',
]);

export interface ProviderErrorDetails {
  provider: ProviderId;
  retryable: boolean;
  fallback: boolean;
  providerStatus?: number;
  providerMessage?: string;
  providerRequestId?: string;
  retryAfterSeconds?: number;
}

const USER_MESSAGE: Readonly<Record<ProviderFailureCode, string>> = {
  content_moderated: 'The provider refused this content under its safety rules.',
  provider_auth: 'The provider rejected the API key.',
  provider_quota: 'The provider account has run out of credits or quota.',
  rate_limited: 'The provider is rate limiting requests; try again shortly.',
  provider_unavailable: 'The provider is unavailable right now.',
  provider_rejected: 'The provider rejected the request',
};

export interface ProviderErrorOptions {
  providerStatus?: number;
  providerMessage?: string;
  providerRequestId?: string;
  retryAfterMs?: number;
}

export function providerError(
  code: ProviderFailureCode,
  provider: ProviderId,
  opts: ProviderErrorOptions = {},
): AppError {
  const retryAfterSeconds =
    opts.retryAfterMs === undefined ? undefined : Math.max(1, Math.ceil(opts.retryAfterMs / 1000));
  const base = USER_MESSAGE[code];
  const message =
    code === 'provider_rejected' && opts.providerMessage
      ? `${base}: ${opts.providerMessage}`
      : `${base} (${provider})`;
  const details: ProviderErrorDetails = {
    provider,
    retryable: RETRYABLE.has(code),
    fallback: FALLBACK.has(code),
    providerStatus: opts.providerStatus,
    providerMessage: opts.providerMessage,
    providerRequestId: opts.providerRequestId,
    retryAfterSeconds,
  };
  const headers =
    code === 'rate_limited' && retryAfterSeconds !== undefined
      ? { 'retry-after': String(retryAfterSeconds) }
      : undefined;
  return new AppError(STATUS[code], code, message, details, headers);
}

/**
 * The same failure without the provider's own words. A call made with the server's key runs on the
 * operator's provider account, whose error texts can name that account, its billing or its limits:
 * users get the code, our message and the provider's request id; the operator's log keeps the text.
 */
export function withoutProviderText(error: AppError): AppError {
  const details = providerDetails(error);
  if (!details || details.providerMessage === undefined || !isProviderFailureCode(error.code)) {
    return error;
  }
  return providerError(error.code, details.provider, {
    providerStatus: details.providerStatus,
    providerRequestId: details.providerRequestId,
    retryAfterMs: details.retryAfterSeconds === undefined ? undefined : details.retryAfterSeconds * 1000,
  });
}

const isProviderFailureCode = (code: string): code is ProviderFailureCode => code in STATUS;

export const noProvider = (message: string, details?: unknown) =>
  new AppError(409, 'no_provider', message, details);

const providerDetails = (e: unknown): ProviderErrorDetails | undefined => {
  if (!(e instanceof AppError) || typeof e.details !== 'object' || e.details === null) return undefined;
  return 'fallback' in e.details && 'provider' in e.details ? (e.details as ProviderErrorDetails) : undefined;
};

export const isRetryable = (e: unknown) => providerDetails(e)?.retryable === true;
export const isFallbackWorthy = (e: unknown) => providerDetails(e)?.fallback === true;
export const providerErrorDetails = providerDetails;
