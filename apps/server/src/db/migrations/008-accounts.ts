import type { Kysely } from 'kysely';
import type { DialectName } from '../dialect.ts';

/**
 * Account lifecycle: a disabled user (`users.disabled_at`) keeps their data but no session or token
 * works; an API token may expire (`api_tokens.expires_at`); `secret_checks` holds a value encrypted
 * with the server secret, so a changed APP_SECRET is caught at startup instead of on every provider call.
 */
export function accounts(_dialect: DialectName) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('users').addColumn('disabled_at', 'text').execute();
      await db.schema.alterTable('api_tokens').addColumn('expires_at', 'text').execute();
      await db.schema
        .createTable('secret_checks')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('box', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
    },
  };
}
