import { type Kysely, sql } from 'kysely';
import type { DialectName } from '../dialect.ts';

/**
 * `asset_colors.la_cell`, a 4×4 cell of lightness and `a` (`colour-filter.ts` lists the cells a colour
 * filter's sphere reaches), and the index `(user_id, la_cell, b, l, a, asset_id)` in place of
 * `(user_id, l, a, b, asset_id)`. On the old index only `l` could be listed value by value: each
 * lightness read every entry of the `a` range whatever its `b`, about 115k entries for the 17k in
 * the box of `#2255ff` ± 20 at 100k assets; under a cell `b` is a range the index seeks, 15k entries.
 * The count of that colour's assets went from 7.3–10.9 to 4.0–5.0 ms p50 (bench:assets `--keep`,
 * PostgreSQL, 60–80 alternating runs); on SQLite count 12 → 7 ms and page 10 → 5 ms. A generated column, so every writer of a palette row keeps it without knowing it:
 * stored on PostgreSQL, computed from `l` and `a` on SQLite (its ALTER TABLE cannot add a stored one).
 * Integer division truncates alike on both, and `a + 128` is never negative for a colour of sRGB.
 */
export function colourCells(dialect: DialectName) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      const kind = dialect === 'postgres' ? 'STORED' : 'VIRTUAL';
      await sql
        .raw(
          `ALTER TABLE asset_colors ADD COLUMN la_cell integer GENERATED ALWAYS AS ((l / 4) * 128 + (a + 128) / 4) ${kind}`,
        )
        .execute(db);
      await db.schema
        .createIndex('asset_colors_user_cell_idx')
        .on('asset_colors')
        .columns(['user_id', 'la_cell', 'b', 'l', 'a', 'asset_id'])
        .execute();
      await db.schema.dropIndex('asset_colors_user_lab_idx').execute();
    },
  };
}
