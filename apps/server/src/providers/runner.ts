import { isFallbackWorthy } from './errors.ts';
import type { Candidate } from './selection.ts';
import type { ImageProvider, ProviderId, ProviderRequest, ProviderResult } from './types.ts';

export interface Attempt {
  provider: Candidate['provider'];
  model: string;
  ok: boolean;
  code?: string;
}

export interface RunOutcome {
  result: ProviderResult;
  /** Every provider tried, in order; the last one succeeded. */
  attempts: Attempt[];
}

/**
 * Tries the candidates in order. It moves on only when a failure says another provider may serve the
 * same request (rate limit, outage, timeout, this provider's key or quota); a moderation decision or
 * the user's own bad request is final and is thrown at once.
 */
export async function runWithFallback(
  registry: { get(id: ProviderId): ImageProvider | undefined },
  candidates: readonly Candidate[],
  request: Omit<ProviderRequest, 'model'>,
  onAttempt?: (attempt: Attempt) => void,
): Promise<RunOutcome> {
  const attempts: Attempt[] = [];
  let lastError: unknown;
  for (const c of candidates) {
    const provider = registry.get(c.provider);
    if (!provider) continue;
    request.signal?.throwIfAborted();
    try {
      const result = await provider.run({ ...request, model: c.model }, c.auth);
      const ok: Attempt = { provider: c.provider, model: c.model, ok: true };
      attempts.push(ok);
      onAttempt?.(ok);
      return { result, attempts };
    } catch (err) {
      const failed: Attempt = { provider: c.provider, model: c.model, ok: false, code: codeOf(err) };
      attempts.push(failed);
      onAttempt?.(failed);
      lastError = err;
      if (!isFallbackWorthy(err)) throw err;
    }
  }
  throw lastError ?? new Error('no candidates to run');
}

const codeOf = (err: unknown) =>
  typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string'
    ? err.code
    : undefined;
