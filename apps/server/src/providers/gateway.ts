import type { FastifyBaseLogger } from 'fastify';
import { AppError } from '../errors.ts';
import { CATALOGUES } from './catalog.ts';
import { providerError, withoutProviderText } from './errors.ts';
import type { AvailabilityMap, ProviderRegistry } from './registry.ts';
import { type Attempt, runWithFallback } from './runner.ts';
import { type Candidate, type SelectionInput, selectCandidates } from './selection.ts';
import type { ImageProvider, ProviderId, ProviderRequest, ProviderResult } from './types.ts';

export interface GatewayDeps {
  registry: ProviderRegistry;
  /** What this user can use now (their own keys over the server's). */
  availability: (userId: number) => Promise<AvailabilityMap>;
  /** Calls in flight at once per provider, across all users of this process. */
  concurrency?: Partial<Record<ProviderId, number>>;
  /** Where the provider's own error text goes when the server's key made the call. */
  log?: Pick<FastifyBaseLogger, 'warn'>;
  /** Every failed provider call, for the metrics. */
  onError?: (provider: ProviderId, code: string) => void;
}

/** A counting semaphore: at most `limit` holders at once, the rest wait in order. */
class Semaphore {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly limit: number) {}

  async use<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.active++;
    }
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) {
        next();
      } else {
        this.active--;
      }
    }
  }
}

/**
 * The one way studio services call providers: pick the candidates for this user (explicit choice or
 * `auto`), then run with fallback on retryable failures only, within a per-provider concurrency limit.
 */
export class ProviderGateway {
  private readonly limits = new Map<ProviderId, Semaphore>();

  constructor(private readonly deps: GatewayDeps) {}

  async candidates(userId: number, input: SelectionInput): Promise<Candidate[]> {
    return selectCandidates(this.deps.registry, await this.deps.availability(userId), input);
  }

  async run(
    candidates: readonly Candidate[],
    request: Omit<ProviderRequest, 'model'>,
    onAttempt?: (attempt: Attempt) => void,
  ): Promise<ProviderResult> {
    const gated = {
      get: (id: ProviderId): ImageProvider | undefined => {
        const provider = this.deps.registry.get(id);
        if (!provider) {
          return undefined;
        }
        const gate = this.gate(id);
        return {
          id: provider.id,
          catalogue: provider.catalogue,
          run: (req, auth) =>
            gate.use(async () => {
              try {
                return await provider.run(req, auth);
              } catch (e) {
                // A cancel is the caller's choice, not the provider failing.
                if (!req.signal?.aborted)
                  this.deps.onError?.(id, e instanceof AppError ? e.code : 'unexpected');
                throw this.isServerKey(id, auth.apiKey) ? this.redacted(e) : e;
              }
            }),
        };
      },
    };
    const { result } = await runWithFallback(gated, candidates, request, onAttempt);
    if (result.moderated) {
      // Stability answers a filtered generation with a blurred image (finish-reason CONTENT_FILTERED):
      // that is a refusal, not a result worth saving or showing.
      throw providerError('content_moderated', result.provider, {
        providerMessage: 'the provider filtered the output (blurred result withheld)',
        providerRequestId: result.requestId,
      });
    }
    return result;
  }

  private isServerKey(id: ProviderId, apiKey: string): boolean {
    return id !== 'local' && apiKey !== '' && apiKey === this.deps.registry.serverKey(id);
  }

  private redacted(error: unknown): unknown {
    if (!(error instanceof AppError)) {
      return error;
    }
    const shown = withoutProviderText(error);
    if (shown !== error) {
      this.deps.log?.warn({ code: error.code, details: error.details }, 'provider failure (server key)');
    }
    return shown;
  }

  private gate(id: ProviderId): Semaphore {
    let s = this.limits.get(id);
    if (!s) {
      s = new Semaphore(this.deps.concurrency?.[id] ?? CATALOGUES[id].concurrency);
      this.limits.set(id, s);
    }
    return s;
  }
}
