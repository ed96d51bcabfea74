import type { Kysely } from 'kysely';
import type { DialectName } from '../dialect.ts';

/**
 * What the library learns from each image's pixels, apart from what users typed:
 * `asset_analysis` one row per analysed asset (perceptual hash, palette as JSON, or the error that
 * stopped it), `asset_colors` the palette again as CIELAB rows so a colour filter is an indexed range
 * query rather than parsing JSON per row.
 */
export function understanding(_dialect: DialectName) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('asset_analysis')
        .addColumn('asset_id', 'integer', (c) => c.primaryKey().references('assets.id').onDelete('cascade'))
        .addColumn('user_id', 'integer', (c) => c.notNull())
        .addColumn('phash', 'text')
        .addColumn('palette', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('error', 'text')
        .addColumn('analyzed_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('asset_analysis_user_idx')
        .on('asset_analysis')
        .columns(['user_id', 'phash'])
        .execute();
      await db.schema
        .createTable('asset_colors')
        .addColumn('asset_id', 'integer', (c) => c.notNull().references('assets.id').onDelete('cascade'))
        .addColumn('user_id', 'integer', (c) => c.notNull())
        .addColumn('l', 'integer', (c) => c.notNull())
        .addColumn('a', 'integer', (c) => c.notNull())
        .addColumn('b', 'integer', (c) => c.notNull())
        .addColumn('share', 'real', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('asset_colors_user_idx')
        .on('asset_colors')
        .columns(['user_id', 'l', 'a', 'b'])
        .execute();
      await db.schema.createIndex('asset_colors_asset_idx').on('asset_colors').column('asset_id').execute();
    },
  };
}
