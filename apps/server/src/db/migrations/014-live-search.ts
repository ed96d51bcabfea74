import { type Kysely, sql } from 'kysely';
import type { DialectName } from '../dialect.ts';

/**
 * PostgreSQL: `asset_search`, each live asset's search document (a copy of `assets.search_tsv`)
 * in a narrow table of its own, kept by triggers. A ranked search has to read the document of every
 * match (ts_rank_cd cannot come from a GIN index), and a common word such as a model name matches
 * an eighth of a library: from `assets` (about ten rows a page) that read most of the table's pages;
 * here about thirty documents share a page (bench:assets, a model name at 100k assets: 120 → 45 ms
 * in EXPLAIN ANALYZE). Its only indexes are the GIN and the key, so the planner cannot prefer a
 * per-user btree and test every one of the owner's documents, as it did on `assets`. Trashed assets
 * have no row; a search of the trash still reads `assets.search_tsv`. SQLite's FTS5 is unchanged.
 */
export function liveSearch(dialect: DialectName) {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      if (dialect !== 'postgres') {
        return;
      }
      const statements = [
        `CREATE TABLE asset_search (
           asset_id integer PRIMARY KEY REFERENCES assets (id) ON DELETE CASCADE,
           user_id integer NOT NULL,
           search_tsv tsvector NOT NULL
         )`,
        `INSERT INTO asset_search (asset_id, user_id, search_tsv)
           SELECT id, user_id, search_tsv FROM assets WHERE deleted_at IS NULL`,
        'CREATE INDEX asset_search_tsv_idx ON asset_search USING GIN (search_tsv)',
        // Inserts come in batches (imports, the benchmark's seed): one statement per statement.
        `CREATE FUNCTION asset_search_ins() RETURNS trigger LANGUAGE plpgsql AS $$
           BEGIN
             INSERT INTO asset_search (asset_id, user_id, search_tsv)
               SELECT id, user_id, search_tsv FROM new_rows WHERE deleted_at IS NULL;
             RETURN NULL;
           END $$`,
        `CREATE TRIGGER asset_search_ins AFTER INSERT ON assets REFERENCING NEW TABLE AS new_rows
           FOR EACH STATEMENT EXECUTE FUNCTION asset_search_ins()`,
        // Updates are mostly of other columns (counters, access times): only a changed document,
        // owner or trash state touches the copy.
        `CREATE FUNCTION asset_search_upd() RETURNS trigger LANGUAGE plpgsql AS $$
           BEGIN
             IF new.deleted_at IS NULL THEN
               INSERT INTO asset_search (asset_id, user_id, search_tsv)
                 VALUES (new.id, new.user_id, new.search_tsv)
               ON CONFLICT (asset_id) DO UPDATE
                 SET user_id = excluded.user_id, search_tsv = excluded.search_tsv;
             ELSE
               DELETE FROM asset_search WHERE asset_id = new.id;
             END IF;
             RETURN NULL;
           END $$`,
        `CREATE TRIGGER asset_search_upd AFTER UPDATE ON assets FOR EACH ROW
           WHEN (old.search_tsv IS DISTINCT FROM new.search_tsv OR old.user_id <> new.user_id
             OR (old.deleted_at IS NULL) <> (new.deleted_at IS NULL))
           EXECUTE FUNCTION asset_search_upd()`,
      ];
      for (const statement of statements) {
        await sql.raw(statement).execute(db);
      }
    },
  };
}
