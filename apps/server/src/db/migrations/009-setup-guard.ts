import { type Kysely, sql } from 'kysely';
import type { DialectName } from '../dialect.ts';

/**
 * `setup_guard`: at most one row (its key is fixed to 1), written in the same transaction as the first
 * admin. Two racing first-run setups both try to insert it and the primary key lets only one commit,
 * on PostgreSQL as on SQLite. An install that already has users counts as set up.
 */
export function setupGuard(_dialect: DialectName) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('setup_guard')
        .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await sql`INSERT INTO setup_guard (id, created_at) SELECT 1, created_at FROM users ORDER BY id LIMIT 1`.execute(
        db,
      );
    },
  };
}
