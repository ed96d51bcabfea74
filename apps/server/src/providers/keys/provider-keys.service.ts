import { isAppError, notFound, validationFailed } from '../../errors.ts';
import type { AvailabilityMap, ProviderKeys, ProviderRegistry } from '../registry.ts';
import { CLOUD_PROVIDERS, type CloudProviderId } from '../types.ts';
import { KeyCipher, keyAad } from './cipher.ts';
import type { ProviderKeyRepository, StoredKey } from './key.repository.ts';

export interface ProviderKeyStatus {
  provider: CloudProviderId;
  /** The user saved a key of their own. */
  configured: boolean;
  /** Only the last four characters are ever returned. */
  last4: string | null;
  updated_at: string | null;
  last_test: { at: string; ok: boolean; message: string | null } | null;
  /** The server has a key for this provider that is used when the user has none. */
  server_key: boolean;
}

export interface KeyTestResult {
  provider: CloudProviderId;
  ok: boolean;
  key_source: 'request' | 'user' | 'server';
  code: string | null;
  message: string;
}

export interface ProviderKeyServiceDeps {
  repo: ProviderKeyRepository;
  secret: Buffer;
  registry: ProviderRegistry;
  clock?: () => Date;
}

const KEY_PATTERN = /^[\x21-\x7e]{8,512}$/;

/** Per-user provider keys: stored encrypted, shown as last-4, tested against the provider on request. */
export class ProviderKeyService {
  private readonly cipher: KeyCipher;
  private readonly now: () => string;

  constructor(private readonly deps: ProviderKeyServiceDeps) {
    this.cipher = new KeyCipher(deps.secret);
    this.now = () => (deps.clock ?? (() => new Date()))().toISOString();
  }

  async list(userId: number): Promise<ProviderKeyStatus[]> {
    const rows = await this.deps.repo.list(userId);
    return CLOUD_PROVIDERS.map((p) =>
      this.status(
        p,
        rows.find((r) => r.provider === p),
      ),
    );
  }

  async get(userId: number, provider: CloudProviderId): Promise<ProviderKeyStatus> {
    return this.status(provider, await this.deps.repo.get(userId, provider));
  }

  async put(userId: number, provider: CloudProviderId, apiKey: string): Promise<ProviderKeyStatus> {
    const key = apiKey.trim();
    if (!KEY_PATTERN.test(key)) {
      throw validationFailed('An API key is 8–512 printable characters without spaces.');
    }
    const box = this.cipher.encrypt(key, keyAad(userId, provider));
    await this.deps.repo.upsert(userId, provider, box, key.slice(-4), this.now());
    return this.get(userId, provider);
  }

  async delete(userId: number, provider: CloudProviderId): Promise<void> {
    if (!(await this.deps.repo.delete(userId, provider))) throw notFound('Provider key');
  }

  /** Tests a key given in the request, else the user's saved key, else the server key. */
  async test(userId: number, provider: CloudProviderId, apiKey?: string): Promise<KeyTestResult> {
    const stored = apiKey ? undefined : await this.deps.repo.get(userId, provider);
    const key =
      apiKey?.trim() || (stored ? this.open(userId, stored) : this.deps.registry.serverKey(provider));
    const source: KeyTestResult['key_source'] = apiKey ? 'request' : stored ? 'user' : 'server';
    if (!key) throw notFound('Provider key');
    const client = this.deps.registry.get(provider);
    if (!client?.testConnection) throw validationFailed(`Provider ${provider} has no connection test.`);
    let result: KeyTestResult;
    try {
      await client.testConnection({ apiKey: key });
      result = {
        provider,
        ok: true,
        key_source: source,
        code: null,
        message: 'The provider accepted the key.',
      };
    } catch (err) {
      if (!isAppError(err)) throw err;
      result = { provider, ok: false, key_source: source, code: err.code, message: err.message };
    }
    if (stored)
      await this.deps.repo.recordTest(
        userId,
        provider,
        result.ok,
        result.ok ? null : result.message,
        this.now(),
      );
    return result;
  }

  /** The user's decrypted keys, for choosing and calling providers. Never returned to a client. */
  async userKeys(userId: number): Promise<ProviderKeys> {
    const keys: ProviderKeys = {};
    for (const row of await this.deps.repo.list(userId)) {
      if ((CLOUD_PROVIDERS as readonly string[]).includes(row.provider)) {
        keys[row.provider as CloudProviderId] = this.open(userId, row);
      }
    }
    return keys;
  }

  async availability(userId: number): Promise<AvailabilityMap> {
    return this.deps.registry.availability(await this.userKeys(userId));
  }

  private open(userId: number, row: StoredKey): string {
    return this.cipher.decrypt(row.ciphertext, keyAad(userId, row.provider));
  }

  private status(provider: CloudProviderId, row: StoredKey | undefined): ProviderKeyStatus {
    return {
      provider,
      configured: row !== undefined,
      last4: row?.last4 ?? null,
      updated_at: row?.updated_at ?? null,
      last_test: row?.tested_at
        ? { at: row.tested_at, ok: row.test_ok === 1, message: row.test_message }
        : null,
      server_key: Boolean(this.deps.registry.serverKey(provider)),
    };
  }
}
