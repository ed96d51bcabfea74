import type { Kysely } from 'kysely';
import { addIdColumn, type DialectName } from '../dialect.ts';

/** Users' own provider API keys, AES-GCM encrypted (providers/keys); one per user and provider. */
export function providerKeys(dialect: DialectName) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await addIdColumn(db.schema.createTable('provider_keys'), dialect)
        .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('provider', 'text', (c) => c.notNull())
        .addColumn('ciphertext', 'text', (c) => c.notNull())
        .addColumn('last4', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('tested_at', 'text')
        .addColumn('test_ok', 'integer')
        .addColumn('test_message', 'text')
        .addUniqueConstraint('provider_keys_user_provider_uq', ['user_id', 'provider'])
        .execute();
    },
  };
}
