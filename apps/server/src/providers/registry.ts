import type { Config } from '../config.ts';
import { createGeminiProvider } from './gemini/client.ts';
import { createHuggingfaceProvider } from './huggingface/client.ts';
import { createLocalProvider } from './local/provider.ts';
import type { ProviderClientOptions } from './shared.ts';
import { createStabilityProvider } from './stability/client.ts';
import {
  CLOUD_PROVIDERS,
  type CloudProviderId,
  type ImageProvider,
  type ProviderAuth,
  type ProviderId,
} from './types.ts';
import { createWavespeedProvider } from './wavespeed/client.ts';

export type ProviderKeys = Partial<Record<CloudProviderId, string>>;

export interface ProviderAvailability {
  provider: ProviderId;
  available: boolean;
  /** Whose key would be used. */
  keySource: 'user' | 'server' | 'none';
  /** Why it is unavailable, or why it may fail fast right now (open circuit). */
  reason?: string;
  healthy: boolean;
  auth?: ProviderAuth;
}

export type AvailabilityMap = Readonly<Record<ProviderId, ProviderAvailability>>;

/** One instance per process: providers keep their circuit breakers here, shared by all users. */
export class ProviderRegistry {
  private readonly byId: ReadonlyMap<ProviderId, ImageProvider>;

  constructor(
    providers: readonly ImageProvider[],
    private readonly serverKeys: ProviderKeys = {},
  ) {
    this.byId = new Map(providers.map((p) => [p.id, p]));
  }

  get(id: ProviderId): ImageProvider | undefined {
    return this.byId.get(id);
  }

  list(): ImageProvider[] {
    return [...this.byId.values()];
  }

  /** The admin's key for a provider, used when a user has none of their own. */
  serverKey(id: CloudProviderId): string | undefined {
    return this.serverKeys[id];
  }

  /**
   * What this user can use now. A user's own key wins over the server key (the user pays with it);
   * `local` is always available.
   */
  availability(userKeys: ProviderKeys = {}): AvailabilityMap {
    const entry = (id: ProviderId): ProviderAvailability => {
      const provider = this.byId.get(id);
      if (!provider)
        return {
          provider: id,
          available: false,
          keySource: 'none',
          healthy: false,
          reason: 'not configured on this server',
        };
      const health = provider.health?.();
      const healthy = health?.state !== 'open';
      const unhealthy = healthy
        ? undefined
        : `temporarily failing; retrying in ${Math.ceil((health?.retryInMs ?? 0) / 1000)} s`;
      if (id === 'local')
        return { provider: id, available: true, keySource: 'none', healthy: true, auth: { apiKey: '' } };
      const userKey = userKeys[id as CloudProviderId];
      const serverKey = this.serverKeys[id as CloudProviderId];
      if (userKey)
        return {
          provider: id,
          available: true,
          keySource: 'user',
          healthy,
          reason: unhealthy,
          auth: { apiKey: userKey },
        };
      if (serverKey)
        return {
          provider: id,
          available: true,
          keySource: 'server',
          healthy,
          reason: unhealthy,
          auth: { apiKey: serverKey },
        };
      return {
        provider: id,
        available: false,
        keySource: 'none',
        healthy,
        reason: 'no API key: add your own key or ask the admin to set one',
      };
    };
    return {
      stability: entry('stability'),
      wavespeed: entry('wavespeed'),
      huggingface: entry('huggingface'),
      gemini: entry('gemini'),
      local: entry('local'),
    };
  }
}

export interface RegistryOverrides {
  /** Per-provider client options (tests: fast retries and polls). */
  client?: Partial<Omit<ProviderClientOptions, 'baseUrl'>>;
}

/** Builds the registry from config: every cloud client against its configured base URL, plus local. */
export function createProviderRegistry(
  config: Config['providers'],
  overrides: RegistryOverrides = {},
): ProviderRegistry {
  const opts = (baseUrl: string): ProviderClientOptions => ({
    baseUrl,
    timeoutMs: config.timeoutMs,
    ...overrides.client,
  });
  const serverKeys: ProviderKeys = {};
  for (const id of CLOUD_PROVIDERS) {
    const key = config[id].apiKey;
    if (key) serverKeys[id] = key;
  }
  return new ProviderRegistry(
    [
      createStabilityProvider(opts(config.stability.baseUrl)),
      createWavespeedProvider(opts(config.wavespeed.baseUrl)),
      createHuggingfaceProvider(opts(config.huggingface.baseUrl)),
      createGeminiProvider({ ...opts(config.gemini.baseUrl), imagenEnabled: config.gemini.imagenEnabled }),
      createLocalProvider(),
    ],
    serverKeys,
  );
}
