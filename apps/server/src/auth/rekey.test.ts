import { describe, expect, it } from 'vitest';
import { hasPostgres } from '../../../../test/support/backends.ts';
import { bearer, setupAdmin, startTestApp } from '../../../../test/support/test-app.ts';
import { loadConfig } from '../config.ts';
import { rekey } from './rekey.ts';

const OLD = 'the old secret of this studio, 32+ chars';
const NEW = 'the new secret of this studio, 32+ chars';
const USER_KEY = 'sk-users-own-key-1234';

describe.each([
  ['sqlite', true],
  ['postgres', hasPostgres()],
] as const)('rotating APP_SECRET on %s', (dialect, available) => {
  it.runIf(available)('re-encrypts the provider keys under the new secret, or changes nothing', async () => {
    const first = await startTestApp({ dialect, env: { APP_SECRET: OLD } });
    const { token, userId } = await setupAdmin(first.app);
    const saved = await first.app.inject({
      method: 'PUT',
      url: '/api/provider-keys/stability',
      headers: bearer(token),
      payload: { api_key: USER_KEY },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const { dataDir, env } = first;
    await first.close();
    const withSecret = (secret: string) => ({ ...env, APP_SECRET: secret });

    await expect(
      rekey(loadConfig(withSecret(NEW)), Buffer.from('not the old secret at all, 32+ chars')),
    ).rejects.toThrow(/not the secret this data was encrypted with; nothing changed/);
    await expect(startTestApp({ reuse: { dataDir, env: withSecret(NEW) } })).rejects.toThrow(/npm run rekey/);

    expect(await rekey(loadConfig(withSecret(NEW)), Buffer.from(OLD))).toBe(1);
    expect(await rekey(loadConfig(withSecret(NEW)), Buffer.from(OLD))).toBe(0);

    const after = await startTestApp({ reuse: { dataDir, env: withSecret(NEW) } });
    try {
      expect(await after.ctx.providerKeys.userKeys(userId)).toEqual({ stability: USER_KEY });
    } finally {
      await after.close();
    }
    await expect(startTestApp({ reuse: { dataDir, env: withSecret(OLD) } })).rejects.toThrow(
      /server secret does not match/,
    );
  });
});
