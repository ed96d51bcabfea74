import type { Kysely } from 'kysely';
import type { DialectName } from '../dialect.ts';

/**
 * Indexes for the library's list and search at a million assets (bench:assets):
 * - `asset_colors (user_id, l, a, b, asset_id)` replaces `(user_id, l, a, b)`: the colour filter's
 *   set of asset ids comes from the index alone, without reading each palette row.
 */
export function librarySpeed(_dialect: DialectName) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createIndex('asset_colors_user_lab_idx')
        .on('asset_colors')
        .columns(['user_id', 'l', 'a', 'b', 'asset_id'])
        .execute();
      await db.schema.dropIndex('asset_colors_user_idx').execute();
    },
  };
}
