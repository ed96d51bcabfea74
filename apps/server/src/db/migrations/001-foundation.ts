import type { Kysely } from 'kysely';
import { addIdColumn, type DialectName } from '../dialect.ts';

export function foundation(dialect: DialectName) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await addIdColumn(db.schema.createTable('users'), dialect)
        .addColumn('email', 'text', (c) => c.notNull().unique())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('sessions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('sessions_user_idx').on('sessions').column('user_id').execute();

      await addIdColumn(db.schema.createTable('api_tokens'), dialect)
        .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('token_prefix', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_used_at', 'text')
        .execute();
      await db.schema.createIndex('api_tokens_user_idx').on('api_tokens').column('user_id').execute();

      await addIdColumn(db.schema.createTable('assets'), dialect)
        .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('asset_type', 'text', (c) => c.notNull())
        .addColumn('source_module', 'text', (c) => c.notNull())
        .addColumn('operation', 'text')
        .addColumn('provider', 'text')
        .addColumn('model', 'text')
        .addColumn('prompt', 'text')
        .addColumn('title', 'text')
        .addColumn('description', 'text')
        .addColumn('params', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('width', 'integer', (c) => c.notNull())
        .addColumn('height', 'integer', (c) => c.notNull())
        .addColumn('format', 'text', (c) => c.notNull())
        .addColumn('mime_type', 'text', (c) => c.notNull())
        .addColumn('file_size', 'bigint', (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('thumb_small_sha256', 'text')
        .addColumn('thumb_large_sha256', 'text')
        .addColumn('thumbhash', 'text')
        .addColumn('cost_credits', 'double precision', (c) => c.notNull().defaultTo(0))
        .addColumn('is_favorite', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('tags', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('collection_id', 'integer')
        .addColumn('download_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('share_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('access_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('last_accessed', 'text')
        .addColumn('deleted_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('assets_user_created_idx')
        .on('assets')
        .columns(['user_id', 'created_at', 'id'])
        .execute();
      await db.schema
        .createIndex('assets_user_sha_idx')
        .on('assets')
        .columns(['user_id', 'sha256'])
        .execute();
      await db.schema.createIndex('assets_sha_idx').on('assets').column('sha256').execute();

      await db.schema
        .createTable('asset_parents')
        .addColumn('asset_id', 'integer', (c) => c.notNull().references('assets.id').onDelete('cascade'))
        .addColumn('parent_id', 'integer', (c) => c.notNull().references('assets.id').onDelete('cascade'))
        .addPrimaryKeyConstraint('asset_parents_pk', ['asset_id', 'parent_id'])
        .execute();
      await db.schema
        .createIndex('asset_parents_parent_idx')
        .on('asset_parents')
        .column('parent_id')
        .execute();

      await db.schema
        .createTable('jobs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('progress', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('input', 'text', (c) => c.notNull())
        .addColumn('result', 'text')
        .addColumn('error_code', 'text')
        .addColumn('error_message', 'text')
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('started_at', 'text')
        .addColumn('finished_at', 'text')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('jobs_status_idx').on('jobs').column('status').execute();
      await db.schema.createIndex('jobs_user_idx').on('jobs').columns(['user_id', 'created_at']).execute();
    },
  };
}
