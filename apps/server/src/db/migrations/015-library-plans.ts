import { type Kysely, sql } from 'kysely';
import type { DialectName } from '../dialect.ts';

/**
 * Plans of the library's colour filter (bench:assets at 100k assets, EXPLAIN ANALYZE on PostgreSQL):
 * - `asset_colors (asset_id, user_id, l, a, b)` replaces `(asset_id)`: a page of newest assets with
 *   a colour asks each asset's palette, and the index now answers that alone, without reading the
 *   palette rows. It still serves deleting an asset's palette.
 * - PostgreSQL: no parallel workers on `assets`. Every library query is one owner's page or count;
 *   a parallel plan chosen for the colour page spent 15 ms starting its workers on a busy two-core
 *   machine for 1.3 ms of work done alone (23 → 1.3 ms).
 */
export function libraryPlans(dialect: DialectName) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createIndex('asset_colors_asset_lab_idx')
        .on('asset_colors')
        .columns(['asset_id', 'user_id', 'l', 'a', 'b'])
        .execute();
      await db.schema.dropIndex('asset_colors_asset_idx').execute();
      if (dialect === 'postgres') {
        await sql.raw('ALTER TABLE assets SET (parallel_workers = 0)').execute(db);
      }
    },
  };
}
