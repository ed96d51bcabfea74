import { type Kysely, sql } from 'kysely';
import { addIdColumn, type DialectName } from '../dialect.ts';

/**
 * `share_links`: a collection or a single asset opened to anyone holding the link's token. Only the
 * token's sha256 is stored; a revoked or expired row stays (the owner's list shows it) but opens nothing.
 */
export function shareLinks(dialect: DialectName) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await addIdColumn(db.schema.createTable('share_links'), dialect)
        .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('collection_id', 'integer', (c) => c.references('collections.id').onDelete('cascade'))
        .addColumn('asset_id', 'integer', (c) => c.references('assets.id').onDelete('cascade'))
        .addColumn('password_hash', 'text')
        .addColumn('allow_download', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .addColumn('revoked_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addCheckConstraint('share_links_one_target', sql`(collection_id IS NULL) <> (asset_id IS NULL)`)
        .execute();
      await db.schema
        .createIndex('share_links_user_idx')
        .on('share_links')
        .columns(['user_id', 'created_at'])
        .execute();
    },
  };
}
